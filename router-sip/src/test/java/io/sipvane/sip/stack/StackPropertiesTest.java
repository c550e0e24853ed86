package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class StackPropertiesTest {
    static final int DEFAULT_WORKERS = Integer.parseInt(
            StackProperties.create("x").getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE"));

    @Test
    void overrideFrom_systemPropertyWinsForStackPropertiesOnly() {
        Properties system = new Properties();
        system.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        system.setProperty("javax.sip.ROUTER_PATH", "x.Router");
        system.setProperty("java.net.preferIPv4Stack", "true");
        Properties stack = StackProperties.create("s");

        StackProperties.overrideFrom(system, stack);

        assertThat(stack.getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE")).isEqualTo("4");
        assertThat(stack.getProperty("javax.sip.ROUTER_PATH")).isEqualTo("x.Router");
        assertThat(stack).doesNotContainKey("java.net.preferIPv4Stack");
    }

    @Test
    void overrideFrom_neverTouchesNameOrLoggers() {
        Properties system = new Properties();
        system.setProperty("javax.sip.STACK_NAME", "other");
        system.setProperty("gov.nist.javax.sip.STACK_LOGGER", "org.apache.log4j.Logger");
        system.setProperty("gov.nist.javax.sip.SERVER_LOGGER", "org.apache.log4j.Logger");
        Properties stack = StackProperties.create("s");

        StackProperties.overrideFrom(system, stack);

        assertThat(stack.getProperty("javax.sip.STACK_NAME")).isEqualTo("s");
        assertThat(stack.getProperty("gov.nist.javax.sip.STACK_LOGGER")).isEqualTo(Slf4jStackLogger.class.getName());
        assertThat(stack.getProperty("gov.nist.javax.sip.SERVER_LOGGER")).isEqualTo(Slf4jServerLogger.class.getName());
    }
}
