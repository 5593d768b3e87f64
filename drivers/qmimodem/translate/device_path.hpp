// Device addresses as written in qmi.conf.
#pragma once

#include <cstdint>
#include <string>

namespace qmi {

// "qrtr://N" -> N. False for anything else (a char device path).
bool parse_qrtr_node(const std::string &path, std::uint32_t &node);

} // namespace qmi
