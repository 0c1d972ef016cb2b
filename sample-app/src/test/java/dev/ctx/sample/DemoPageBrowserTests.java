package dev.ctx.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.function.Function;

import dev.ctx.spring.micrometer.ContextMeterNames;
import dev.ctx.spring.web.InFlightRequestContexts;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo page in a real headless Chromium: the buttons fire real requests, "Cancel"
 * aborts one (the browser closes the connection), and the charts show the service's own
 * metrics. Needs the Debian packages {@code chromium} and {@code chromium-driver};
 * without them the tests are skipped, unless {@code CI} is set, where they fail.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoPageBrowserTests {

	private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String SELENIUM_MANAGER_LOGGER = "org.openqa.selenium.manager.SeleniumManager";

	private static final String DRIVER_FINDER_LOGGER = "org.openqa.selenium.remote.service.DriverFinder";

	private static final List<LogRecord> seleniumLog = new CopyOnWriteArrayList<>();

	// Strong references: java.util.logging only keeps weak ones to configured loggers
	private static final Logger[] watchedLoggers = { Logger.getLogger(SELENIUM_MANAGER_LOGGER),
			Logger.getLogger(DRIVER_FINDER_LOGGER) };

	private static ChromeDriverService service;

	private static WebDriver browser;

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Autowired
	ReportLedger ledger;

	@Autowired
	InFlightRequestContexts inFlight;

	@BeforeAll
	static void startBrowser(@TempDir Path profile) {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		if (!installed) {
			String message = "Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
					+ "): apt-get install -y chromium chromium-driver";
			if (System.getenv("CI") != null) {
				fail(message + " (required when CI is set)");
			}
			assumeTrue(false, message + "; skipping the browser tests");
		}
		Handler capture = new Handler() {

			@Override
			public void publish(LogRecord record) {
				seleniumLog.add(record);
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
		for (Logger logger : watchedLoggers) {
			logger.setLevel(Level.ALL);
			logger.addHandler(capture);
		}
		// An explicit driver executable and browser binary: Selenium Manager has nothing to
		// look up or download (the network is closed anyway)
		service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.withLogFile(new File("target/chromedriver.log"))
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1400,1400", "--user-data-dir=" + profile.toAbsolutePath());
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
		if (service != null) {
			service.stop();
		}
	}

	@BeforeEach
	void openPage() {
		String page = "http://127.0.0.1:" + this.port + "/";
		if (!page.equals(browser.getCurrentUrl())) {
			// Once for all tests: the page's request log and time series then show them all
			browser.get(page);
		}
		// The page is live once it has drawn the stats at least once
		waitFor((driver) -> polls() >= 1);
	}

	@Test
	@Order(1)
	void seleniumManagerShouldNeverBeAskedForADriver() {
		assertThat(seleniumLog).extracting(LogRecord::getLoggerName).doesNotContain(SELENIUM_MANAGER_LOGGER);
		assertThat(seleniumLog).extracting(LogRecord::getMessage)
			.anySatisfy((message) -> assertThat(message).startsWith("Skipping Selenium Manager")
				.contains(CHROMEDRIVER.toString()));
	}

	@Test
	@Order(2)
	void cancelShouldAbortTheSlowReportWhileTheServerRunsIt() {
		int aborted = count("#log li[data-report='revenue'][data-state='aborted']");
		setValue("work", "5");
		click("run-slow");
		// The server has the report in flight, and the page shows it from /demo/stats
		waitFor((driver) -> !driver.findElements(By.cssSelector("#inflight-rows tr[data-path='/api/reports/revenue']"))
			.isEmpty());
		assertThat(this.inFlight.all()).anySatisfy((state) -> {
			assertThat(state.path()).isEqualTo("/api/reports/revenue");
			assertThat(state.budget()).isEqualTo(Duration.ofSeconds(20));
		});
		assertThat(button("cancel-slow").isEnabled()).isTrue();
		click("cancel-slow");
		waitFor((driver) -> count("#log li[data-report='revenue'][data-state='aborted']") == aborted + 1);
		assertThat(button("run-slow").isEnabled()).isTrue();
		assertThat(button("cancel-slow").isEnabled()).isFalse();
	}

	@Test
	@Order(3)
	void cancelShouldMakeTheServerStopTheReportQuery() {
		double disconnects = cancellations("client_disconnected");
		long cancelledBefore = this.ledger.count(ReportLedger.Outcome.CANCELLED);
		setValue("work", "30");
		click("run-slow");
		waitFor((driver) -> !driver.findElements(By.cssSelector("#inflight-rows tr[data-path='/api/reports/revenue']"))
			.isEmpty());
		click("cancel-slow");
		// The server saw the client go away while the handler was blocked in the query...
		await().atMost(WAIT).untilAsserted(
				() -> assertThat(cancellations("client_disconnected")).isGreaterThanOrEqualTo(disconnects + 1));
		// ...and the query itself was cancelled, long before its 30 s of work
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.ledger.count(ReportLedger.Outcome.CANCELLED)).isGreaterThan(cancelledBefore));
		ReportLedger.Entry entry = this.ledger.recent()
			.stream()
			.filter((e) -> e.report().equals("revenue") && "client_disconnected".equals(e.reason()))
			.findFirst()
			.orElseThrow();
		assertThat(entry.outcome()).isEqualTo("cancelled");
		assertThat(entry.actualMillis()).isLessThan(entry.intendedMillis());
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.inFlight.all())
				.noneSatisfy((state) -> assertThat(state.path()).isEqualTo("/api/reports/revenue")));
		// The page shows it too
		waitFor((driver) -> legendValue("client_disconnected") >= disconnects + 1);
		waitFor((driver) -> Double.parseDouble(text("saved-seconds")) > 0);
	}

	@Test
	@Order(4)
	void dashboardShouldHitItsDeadlineAndThePageShouldCountIt() {
		double deadlines = cancellations("deadline_exceeded");
		int answered = count("#log li[data-report='dashboard'][data-state='deadline_exceeded']");
		setValue("deadline-work", "3");
		click("run-deadline");
		waitFor((driver) -> count("#log li[data-report='dashboard'][data-state='deadline_exceeded']") == answered + 1);
		assertThat(browser.findElement(By.cssSelector("#log li[data-report='dashboard']")).getText())
			.contains("503 deadline_exceeded");
		assertThat(cancellations("deadline_exceeded")).isGreaterThanOrEqualTo(deadlines + 1);
		// The bar chart's legend, drawn from /demo/stats
		waitFor((driver) -> legendValue("deadline_exceeded") >= deadlines + 1);
		waitFor((driver) -> !driver.findElements(By.cssSelector("#query-rows tr[data-reason='deadline_exceeded']"))
			.isEmpty());
	}

	@Test
	@Order(5)
	void burstShouldEndEachRequestItsOwnWay() {
		int deadlines = count("#log li[data-state='deadline_exceeded']");
		int aborted = count("#log li[data-state='aborted']");
		int completed = count("#log li[data-state='ok']");
		setValue("burst-n", "3");
		setValue("work", "5");
		setValue("deadline-work", "3");
		click("run-burst");
		// One of each: past the dashboard's deadline, aborted by the page, completed. Until
		// JDBC cancellation lands, the dashboard's scan runs to its end: allow for that
		waitFor(Duration.ofSeconds(90), (driver) -> count("#log li[data-state='deadline_exceeded']") == deadlines + 1
				&& count("#log li[data-state='aborted']") == aborted + 1
				&& count("#log li[data-state='ok']") == completed + 1);
		waitFor((driver) -> button("run-burst").isEnabled());
	}

	@Test
	@Order(6)
	void pageShouldDrawItsChartsOnCanvas() throws IOException {
		// Let the in-flight and time series collect a few points
		int polls = polls();
		waitFor((driver) -> polls() >= polls + 3);
		for (String chart : List.of("chart-reasons", "chart-inflight", "chart-time")) {
			assertThat(paintedPixels(chart)).as("pixels painted on #%s", chart).isGreaterThan(500);
		}
		File screenshot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
		Path target = Paths.get("target", "demo-page.png");
		Files.copy(screenshot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
		assertThat(Files.size(target)).isGreaterThan(10_000);
	}

	private long paintedPixels(String canvasId) {
		Object painted = ((ChromeDriver) browser).executeScript("""
				const canvas = document.getElementById(arguments[0]);
				const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
				let painted = 0;
				for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) painted++; }
				return painted;""", canvasId);
		return ((Number) painted).longValue();
	}

	private double cancellations(String reason) {
		return this.registry.get(ContextMeterNames.CANCELLATIONS)
			.tag(ContextMeterNames.REASON, reason)
			.tag(ContextMeterNames.SOURCE, "http")
			.counter()
			.count();
	}

	private double legendValue(String reason) {
		String value = attribute("count-" + reason, "data-value");
		return (value != null) ? Double.parseDouble(value) : -1;
	}

	private int polls() {
		String polls = attribute("status", "data-polls");
		return (polls != null) ? Integer.parseInt(polls) : 0;
	}

	/**
	 * Reads an attribute in one script call: the page re-renders its legend and status on
	 * every poll, so an element found first and read afterwards can be stale by then.
	 */
	private static @Nullable String attribute(String id, String name) {
		Object value = ((JavascriptExecutor) browser).executeScript(
				"const e = document.getElementById(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", id,
				name);
		return (value != null) ? value.toString() : null;
	}

	private static int count(String selector) {
		return browser.findElements(By.cssSelector(selector)).size();
	}

	private static String text(String id) {
		return browser.findElement(By.id(id)).getText();
	}

	private static WebElement button(String id) {
		return browser.findElement(By.id(id));
	}

	private static void click(String id) {
		button(id).click();
	}

	private static void setValue(String id, String value) {
		WebElement input = browser.findElement(By.id(id));
		input.clear();
		input.sendKeys(value);
	}

	private static void waitFor(Function<WebDriver, Boolean> condition) {
		waitFor(WAIT, condition);
	}

	private static void waitFor(Duration timeout, Function<WebDriver, Boolean> condition) {
		// An element re-rendered between finding and reading it is read again at the next poll
		new WebDriverWait(browser, timeout).pollingEvery(Duration.ofMillis(200))
			.ignoring(StaleElementReferenceException.class)
			.until(condition::apply);
	}

}
