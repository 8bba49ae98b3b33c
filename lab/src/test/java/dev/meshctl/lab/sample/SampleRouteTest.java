package dev.meshctl.lab.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.lab.sample.SampleRoute.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SampleRouteTest {

    @ParameterizedTest(name = "{1} {0} -> {2} {3}")
    @CsvSource({
            "/healthz,          echo,        HEALTHZ,     0",
            "/healthz,          productpage, HEALTHZ,     0",
            "/headers,          reviews,     HEADERS,     0",
            "/status/418,       echo,        STATUS,      418",
            "/status/200,       details,     STATUS,      200",
            "/status/599,       echo,        STATUS,      599",
            "/delay/50,         echo,        DELAY,       50",
            "/delay/0,          echo,        DELAY,       0",
            "/delay/600000,     echo,        DELAY,       60000",
            "/delay/99999999999999999999, echo, DELAY,    60000",
            "/,                 echo,        ECHO,        0",
            "/anything/else,    echo,        ECHO,        0",
            "/,                 productpage, PRODUCTPAGE, 0",
            "/productpage,      productpage, PRODUCTPAGE, 0",
            "/other,            productpage, ECHO,        0",
            "/details/0,        details,     DETAILS,     0",
            "/details/7,        details,     DETAILS,     7",
            "/,                 details,     DETAILS,     0",
            "/reviews/3,        reviews,     REVIEWS,     3",
            "/reviews/x,        reviews,     REVIEWS,     0",
            "/ratings/0,        ratings,     RATINGS,     0",
    })
    void picksTheEndpoint(String path, String role, Kind kind, int argument) {
        SampleRoute route = SampleRoute.decide(path, SampleRole.parse(role));

        assertThat(route.kind()).isEqualTo(kind);
        assertThat(route.argument()).isEqualTo(argument);
        assertThat(route.problem()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"/status/99", "/status/100", "/status/199", "/status/600", "/status/abc", "/status/", "/status/-1",
            "/status/4000000000", "/delay/abc", "/delay/-5", "/delay/"})
    void refusesBadArguments(String path) {
        SampleRoute route = SampleRoute.decide(path, SampleRole.ECHO);

        assertThat(route.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(route.problem()).contains(path.substring(path.lastIndexOf('/') + 1));
    }
}
