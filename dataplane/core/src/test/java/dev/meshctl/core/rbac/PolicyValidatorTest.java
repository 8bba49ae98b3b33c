package dev.meshctl.core.rbac;

import static dev.meshctl.core.rbac.Policies.allow;
import static dev.meshctl.core.rbac.Policies.cidr;
import static dev.meshctl.core.rbac.Policies.match;
import static dev.meshctl.core.rbac.Policies.rule;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.meshctl.api.mesh.Authorization;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

    @Test
    void acceptsAWellFormedPolicy() {
        Authorization ok = allow("ok", rule(match().addSourceIps(cidr("10.0.0.0", 8)).addDestinationPorts(80).build()));
        assertThatCode(() -> PolicyValidator.check(ok)).doesNotThrowAnyException();
    }

    @Test
    void namesTheBadBlock() {
        Authorization bad = allow("bad", rule(match().addNotDestinationIps(cidr("10.0.0.0", 64)).build()));
        assertThatIllegalArgumentException().isThrownBy(() -> PolicyValidator.check(bad))
                .withMessageStartingWith("policy default/bad field not_destination_ips: prefix length 64");
    }

    @Test
    void namesTheBadPort() {
        Authorization bad = allow("bad", rule(match().addNotDestinationPorts(0).build()));
        assertThatIllegalArgumentException().isThrownBy(() -> PolicyValidator.check(bad))
                .withMessage("policy default/bad field not_destination_ports: port 0 is not in 1..65535");
    }

    @Test
    void refusesUnknownScope() {
        Authorization bad = allow("bad").toBuilder().setScopeValue(42).build();
        assertThatIllegalArgumentException().isThrownBy(() -> PolicyValidator.check(bad))
                .withMessageContaining("unknown scope 42");
    }
}
