#pragma once
// Logs in English to stderr (journald under systemd). Never log a 個人番号, a passcode or a 照合番号B.
#include <string_view>

namespace onshi::log {

enum class Level { Debug, Info, Warn, Error };

void set_level(Level level);
void write(Level level, std::string_view component, std::string_view message);

inline void debug(std::string_view c, std::string_view m) { write(Level::Debug, c, m); }
inline void info(std::string_view c, std::string_view m) { write(Level::Info, c, m); }
inline void warn(std::string_view c, std::string_view m) { write(Level::Warn, c, m); }
inline void error(std::string_view c, std::string_view m) { write(Level::Error, c, m); }

}  // namespace onshi::log
