package dev.sigfresh.awssdk.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sigfresh.internal.Bindings;
import org.junit.jupiter.api.Test;

/** The adapter tests run through the binding the build asked for (failsafe executions). */
class BindingInUseTest {
    @Test
    void bindingIsTheRequestedOne() {
        String wanted = System.getProperty(Bindings.PROPERTY);
        if (wanted != null && !wanted.equals("auto")) {
            assertEquals(wanted, Bindings.api().bindingName());
        }
    }
}
