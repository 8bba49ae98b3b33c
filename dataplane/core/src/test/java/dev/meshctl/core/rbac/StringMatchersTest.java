package dev.meshctl.core.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.StringMatch;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StringMatchersTest {

    @Test
    void readsIstioWildcards() {
        assertThat(StringMatchers.fromIstio("*").getPresence()).isTrue();
        assertThat(StringMatchers.fromIstio("cluster.local/*").getPrefix()).isEqualTo("cluster.local/");
        assertThat(StringMatchers.fromIstio("*/sa/curl").getSuffix()).isEqualTo("/sa/curl");
        assertThat(StringMatchers.fromIstio("a.b").getExact()).isEqualTo("a.b");
    }

    @Test
    void absentOrEmptyValueMatchesNothing() {
        StringMatch any = StringMatchers.fromIstio("*");
        assertThat(StringMatchers.matches(any, Optional.empty())).isFalse();
        assertThat(StringMatchers.matches(any, Optional.of(""))).isFalse();
        assertThat(StringMatchers.matches(StringMatchers.fromIstio("*x"), Optional.empty())).isFalse();
    }

    @Test
    void unsetMatchMatchesNothing() {
        assertThat(StringMatchers.matches(StringMatch.getDefaultInstance(), Optional.of("x"))).isFalse();
    }
}
