#!/usr/bin/env bash
# Builds the README's quick start as a new user would: a start.spring.io-shaped Spring Boot application that
# depends on the installed starter, with the controller and properties copied from README.md, and a test that
# calls it over HTTP. Fails when the quick start no longer compiles or no longer behaves as the README says.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

boot_version="$(sed -n 's:.*<spring-boot.version>\(.*\)</spring-boot.version>.*:\1:p' pom.xml | head -1)"
version="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)"

echo "== quickstart: installing the starter ${version} (no tests)"
./mvnw -q -B -ntp install -DskipTests -pl context-spring-boot-starter -am

# The block of the given language that follows a <!-- quickstart:NAME --> marker in README.md
block() {
	awk -v marker="<!-- quickstart:$1 -->" '
		$0 == marker { found = 1; next }
		found && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }
	' README.md
}

app="$(mktemp -d)"
trap 'rm -rf "$app"' EXIT
mkdir -p "$app/src/main/java/com/example/demo" "$app/src/main/resources" "$app/src/test/java/com/example/demo"

dependency="$(block dependency)"
[ -n "$dependency" ] || { echo "README has no quickstart:dependency block"; exit 1; }
cat > "$app/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
		xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
	<modelVersion>4.0.0</modelVersion>
	<parent>
		<groupId>org.springframework.boot</groupId>
		<artifactId>spring-boot-starter-parent</artifactId>
		<version>${boot_version}</version>
		<relativePath/>
	</parent>
	<groupId>com.example</groupId>
	<artifactId>demo</artifactId>
	<version>0.0.1-SNAPSHOT</version>
	<properties>
		<java.version>17</java.version>
	</properties>
	<dependencies>
		<dependency>
			<groupId>org.springframework.boot</groupId>
			<artifactId>spring-boot-starter-webmvc</artifactId>
		</dependency>
${dependency}
		<dependency>
			<groupId>org.springframework.boot</groupId>
			<artifactId>spring-boot-starter-test</artifactId>
			<scope>test</scope>
		</dependency>
	</dependencies>
	<build>
		<plugins>
			<plugin>
				<groupId>org.springframework.boot</groupId>
				<artifactId>spring-boot-maven-plugin</artifactId>
			</plugin>
		</plugins>
	</build>
</project>
POM

cat > "$app/src/main/java/com/example/demo/DemoApplication.java" <<'JAVA'
package com.example.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class DemoApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
JAVA

controller="$(block controller)"
[ -n "$controller" ] || { echo "README has no quickstart:controller block"; exit 1; }
{
	echo "package com.example.demo;"
	echo
	echo "import dev.ctx.Context;"
	echo "import org.springframework.web.bind.annotation.*;"
	echo
	echo "$controller"
} > "$app/src/main/java/com/example/demo/ReportController.java"

properties="$(block properties)"
[ -n "$properties" ] || { echo "README has no quickstart:properties block"; exit 1; }
echo "$properties" > "$app/src/main/resources/application.properties"

cat > "$app/src/test/java/com/example/demo/QuickStartTests.java" <<'JAVA'
package com.example.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class QuickStartTests {

	@LocalServerPort
	int port;

	@Test
	void reportAnswersDeadlineExceededAfterDefaultTimeout() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/reports/1"))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"title\":\"Deadline Exceeded\"").contains("\"reason\":\"deadline_exceeded\"");
		assertThat(elapsed).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(10));
	}

}
JAVA

echo "== quickstart: building and testing the new application in $app"
./mvnw -q -B -ntp -f "$app/pom.xml" verify
echo "== quickstart: OK"
