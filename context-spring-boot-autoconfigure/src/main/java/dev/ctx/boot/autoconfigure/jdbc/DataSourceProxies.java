package dev.ctx.boot.autoconfigure.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.ctx.spring.jdbc.ContextAwareDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cglib.core.ClassLoaderAwareGeneratorStrategy;
import org.springframework.cglib.core.SpringNamingPolicy;
import org.springframework.cglib.proxy.Callback;
import org.springframework.cglib.proxy.CallbackFilter;
import org.springframework.cglib.proxy.Dispatcher;
import org.springframework.cglib.proxy.Enhancer;
import org.springframework.cglib.proxy.Factory;
import org.springframework.cglib.proxy.MethodInterceptor;
import org.springframework.cglib.proxy.MethodProxy;
import org.springframework.core.NativeDetector;
import org.springframework.objenesis.SpringObjenesis;
import org.springframework.util.ClassUtils;

/**
 * Presents a {@link ContextAwareDataSource} as the data source bean it wraps, so that a
 * bean injected by its concrete type ({@code HikariDataSource}, for example) or by any of
 * its interfaces keeps working once it is wrapped.
 * <p>Where the bean's class can be subclassed, the proxy is a generated subclass of it:
 * {@code getConnection} (both variants), {@code unwrap} and {@code isWrapperFor} go to the
 * {@code ContextAwareDataSource}, {@code equals} and {@code hashCode} are the proxy's
 * identity, and every other method that a subclass can override goes straight to the
 * original bean (pool settings, pool MXBean, {@code close()}, {@code toString()}), with
 * no reflection and no allocation per call. It is made with CGLIB callbacks directly
 * rather than with Spring AOP's {@code ProxyFactory}, whose proxies create a method
 * invocation object per call, on the path of every {@code getConnection()}. Where it cannot (a final or non-public class
 * such as Spring's {@code EmbeddedDatabase}, a JDK proxy, a native image), the proxy is a
 * JDK proxy of the bean's public interfaces with the same routing, injectable by those
 * interfaces but not by the bean's class.
 */
final class DataSourceProxies {

	private static final Log logger = LogFactory.getLog(DataSourceProxies.class);

	private static final SpringObjenesis objenesis = new SpringObjenesis();

	private static final int TO_TARGET = 0;

	private static final int TO_WRAPPER = 1;

	private static final Object[] NO_ARGUMENTS = {};

	private DataSourceProxies() {
	}

	/**
	 * Returns the wrapper presented as an instance of the class of the data source it
	 * wraps or, where that class cannot be subclassed, of its public interfaces.
	 * @param beanName the name of the data source bean
	 * @param bean the data source bean
	 * @param wrapper the wrapper of the bean
	 * @param classLoader the class loader to define the proxy class in
	 * @return the data source to expose as the bean
	 */
	static DataSource expose(String beanName, DataSource bean, ContextAwareDataSource wrapper,
			@Nullable ClassLoader classLoader) {
		Class<?> type = bean.getClass();
		String reason = unsubclassableReason(type);
		if (reason == null) {
			try {
				return subclass(bean, wrapper, classLoader);
			}
			catch (RuntimeException | LinkageError ex) {
				reason = "its class could not be subclassed (" + ex + ")";
			}
		}
		Class<?>[] interfaces = ClassUtils.getAllInterfacesForClassAsSet(type)
			.stream()
			.filter((candidate) -> Modifier.isPublic(candidate.getModifiers()))
			.toArray(Class<?>[]::new);
		ClassLoader loader = (classLoader != null) ? classLoader : type.getClassLoader();
		try {
			DataSource proxy = (DataSource) Proxy.newProxyInstance(loader, interfaces,
					new InterfaceRouting(bean, wrapper));
			if (logger.isInfoEnabled()) {
				logger.info("Data source bean '" + beanName + "' of type " + type.getName()
						+ " is exposed as a proxy of its interfaces (" + names(interfaces)
						+ "), not injectable by its class: " + reason);
			}
			return proxy;
		}
		catch (RuntimeException ex) {
			if (logger.isInfoEnabled()) {
				logger.info("Data source bean '" + beanName + "' of type " + type.getName()
						+ " is exposed as a ContextAwareDataSource, injectable as a DataSource only: " + reason
						+ ", and its interfaces could not be proxied (" + ex + ")");
			}
			return wrapper;
		}
	}

	private static String names(Class<?>[] interfaces) {
		return Arrays.stream(interfaces).map(Class::getName).collect(Collectors.joining(", "));
	}

	/**
	 * Returns whether the given bean is a proxy made by this class.
	 * @param bean a bean
	 * @return whether it is such a proxy
	 */
	static boolean isProxy(Object bean) {
		if (Proxy.isProxyClass(bean.getClass())) {
			return Proxy.getInvocationHandler(bean) instanceof InterfaceRouting;
		}
		return bean instanceof Factory factory && factory.getCallbacks().length == 2
				&& factory.getCallback(TO_WRAPPER) instanceof ToWrapper;
	}

	private static @Nullable String unsubclassableReason(Class<?> type) {
		if (NativeDetector.inNativeImage()) {
			return "classes cannot be generated in a native image";
		}
		if (Modifier.isFinal(type.getModifiers())) {
			return "its class is final";
		}
		if (type.getName().contains(ClassUtils.CGLIB_CLASS_SEPARATOR) || Proxy.isProxyClass(type)
				|| type.isSynthetic() || type.isHidden() || type.isAnonymousClass()) {
			return "its class is generated";
		}
		if (!Modifier.isPublic(type.getModifiers())) {
			return "its class is not public";
		}
		return null;
	}

	private static DataSource subclass(DataSource bean, ContextAwareDataSource wrapper,
			@Nullable ClassLoader classLoader) {
		Enhancer enhancer = new Enhancer();
		enhancer.setSuperclass(bean.getClass());
		enhancer.setNamingPolicy(SpringNamingPolicy.INSTANCE);
		enhancer.setCallbackFilter(Routing.INSTANCE);
		enhancer.setCallbackTypes(new Class<?>[] { Dispatcher.class, MethodInterceptor.class });
		if (classLoader != null) {
			enhancer.setClassLoader(classLoader);
			enhancer.setStrategy(new ClassLoaderAwareGeneratorStrategy(classLoader));
		}
		Class<?> proxyClass = enhancer.createClass();
		// Not constructed: the bean's constructor would configure a second, unused
		// instance (a pool, for example)
		Factory proxy = (Factory) objenesis.newInstance(proxyClass, enhancer.getUseCache());
		proxy.setCallbacks(new Callback[] { new ToTarget(bean), new ToWrapper(wrapper) });
		return (DataSource) proxy;
	}

	/**
	 * Sends the {@link DataSource} methods that the wrapper decorates to the wrapper,
	 * {@code equals} and {@code hashCode} to the proxy's identity, and all others to the
	 * bean. Stateless, so that generated classes are cached per bean
	 * class.
	 */
	private static final class Routing implements CallbackFilter {

		static final Routing INSTANCE = new Routing();

		@Override
		public int accept(Method method) {
			return switch (method.getName()) {
				case "getConnection" -> (method.getParameterCount() == 0 || method.getParameterCount() == 2)
						? TO_WRAPPER : TO_TARGET;
				case "unwrap", "isWrapperFor" -> (method.getParameterCount() == 1
						&& method.getParameterTypes()[0] == Class.class) ? TO_WRAPPER : TO_TARGET;
				// The proxy's own identity: the bean's equals would not recognise the proxy
				// as equal to itself
				case "equals" -> (method.getParameterCount() == 1 && method.getParameterTypes()[0] == Object.class)
						? TO_WRAPPER : TO_TARGET;
				case "hashCode" -> (method.getParameterCount() == 0) ? TO_WRAPPER : TO_TARGET;
				default -> TO_TARGET;
			};
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Routing;
		}

		@Override
		public int hashCode() {
			return Routing.class.hashCode();
		}

	}

	private record ToTarget(DataSource target) implements Dispatcher {

		@Override
		public Object loadObject() {
			return this.target;
		}

	}

	/**
	 * The methods the {@link Routing} sends to the wrapper, and the proxy's identity.
	 */
	private record ToWrapper(ContextAwareDataSource wrapper) implements MethodInterceptor {

		@Override
		public @Nullable Object intercept(Object proxy, Method method, Object[] args, MethodProxy methodProxy)
				throws SQLException {
			return call(proxy, method, args);
		}

		@Nullable Object call(Object proxy, Method method, @Nullable Object[] arguments) throws SQLException {
			// A JDK proxy passes null for no arguments
			Object[] args = (arguments != null) ? arguments : NO_ARGUMENTS;
			return switch (method.getName()) {
				case "getConnection" -> (args.length == 0) ? this.wrapper.getConnection()
						: this.wrapper.getConnection((String) args[0], (String) args[1]);
				case "unwrap" -> this.wrapper.unwrap((Class<?>) args[0]);
				case "isWrapperFor" -> this.wrapper.isWrapperFor((Class<?>) args[0]);
				case "equals" -> proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> throw new IllegalStateException("Not routed to the wrapper: " + method);
			};
		}

	}

	/**
	 * The routing of the subclass for a JDK proxy of the bean's interfaces.
	 */
	private static final class InterfaceRouting implements InvocationHandler {

		private final DataSource target;

		private final ToWrapper toWrapper;

		InterfaceRouting(DataSource target, ContextAwareDataSource wrapper) {
			this.target = target;
			this.toWrapper = new ToWrapper(wrapper);
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			if (Routing.INSTANCE.accept(method) == TO_WRAPPER) {
				return this.toWrapper.call(proxy, method, args);
			}
			try {
				return method.invoke(this.target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		}

	}

}
