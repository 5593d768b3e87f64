#include "core/errors.hpp"

#include <catch2/catch.hpp>

namespace {
qmi::OfonoError map(GQuark domain, int code)
{
    GError *e = g_error_new_literal(domain, code, "test");
    auto r = qmi::to_ofono_error(e);
    g_error_free(e);
    return r;
}
} // namespace

TEST_CASE("QMI protocol errors map to CME errors like oFono's driver", "[errors]")
{
    auto e = map(QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_DEVICE_UNSUPPORTED);
    CHECK(e.type == OFONO_ERROR_TYPE_CME);
    CHECK(e.error == 4);
    e = map(QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_ACCESS_DENIED);
    CHECK(e.type == OFONO_ERROR_TYPE_CME);
    CHECK(e.error == 32);
    e = map(QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_INCORRECT_PIN);
    CHECK(e.error == 16);
    e = map(QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_PIN_BLOCKED);
    CHECK(e.error == 12);
}

TEST_CASE("unmapped protocol errors and transport errors are plain failures", "[errors]")
{
    CHECK(map(QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_INTERNAL).type == OFONO_ERROR_TYPE_FAILURE);
    CHECK(map(QMI_CORE_ERROR, QMI_CORE_ERROR_TIMEOUT).type == OFONO_ERROR_TYPE_FAILURE);
    CHECK(map(G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE).type == OFONO_ERROR_TYPE_FAILURE);
    CHECK(qmi::to_ofono_error(nullptr).type == OFONO_ERROR_TYPE_FAILURE);
}

TEST_CASE("is_protocol_error matches domain and code", "[errors]")
{
    GError *e = g_error_new_literal(QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_NO_EFFECT, "x");
    CHECK(qmi::is_protocol_error(e, QMI_PROTOCOL_ERROR_NO_EFFECT));
    CHECK_FALSE(qmi::is_protocol_error(e, QMI_PROTOCOL_ERROR_INTERNAL));
    CHECK(qmi::describe(e).find("26") != std::string::npos);
    g_error_free(e);
    GError *t = g_error_new_literal(QMI_CORE_ERROR, QMI_PROTOCOL_ERROR_NO_EFFECT, "x");
    CHECK_FALSE(qmi::is_protocol_error(t, QMI_PROTOCOL_ERROR_NO_EFFECT));
    g_error_free(t);
}
