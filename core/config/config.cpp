// load_config / parse_config: TOML (toml++) to KioskConfig. Every key is checked and every problem is kept,
// so a clinic fixing its file sees all mistakes at once, not one per restart. Unknown keys are problems too:
// a typo ("timout_seconds") would otherwise leave the default in force without anyone noticing.
#include <sys/stat.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <string_view>
#include <system_error>

#include "core/config/kiosk_config.hpp"
#include "core/config/schema.hpp"

namespace onshi::config {
namespace {

std::string at_line(const toml::source_region& s) {
    return s.begin ? " (line " + std::to_string(s.begin.line) + ")" : "";
}

class Checker {
public:
    Checker(const toml::table& root, std::vector<ConfigProblem>& out, std::vector<std::string>& notices)
        : root_(root), out_(out), notices_(notices) {}

    void problem(const std::string& where, std::string en, std::string ja) {
        out_.push_back({where, std::move(en), std::move(ja)});
    }

    // Present and not a table/array-of-tables mistake: the node at "section.key", or null when absent.
    const toml::node* node(const Key& k) {
        const toml::node* sec = root_.get(k.section);
        if (!sec || !sec->is_table()) return nullptr;
        return sec->as_table()->get(k.name);
    }
    std::string where(const Key& k, const toml::node& n) { return k.path() + at_line(n.source()); }

    void integer(const Key& k, int64_t lo, int64_t hi, auto& field) {
        const toml::node* n = node(k);
        if (!n) return;
        auto v = n->value_exact<int64_t>();
        if (!v) {
            problem(where(k, *n), k.path() + " must be an integer",
                    std::string(k.ja) + "（" + k.path() + "）は整数で書いてください");
            return;
        }
        if (*v < lo || *v > hi) {
            problem(where(k, *n),
                    k.path() + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + " (is " +
                        std::to_string(*v) + ")",
                    std::string(k.ja) + "（" + k.path() + "）は " + std::to_string(lo) + "〜" + std::to_string(hi) +
                        " にしてください（現在 " + std::to_string(*v) + "）");
            return;
        }
        field = static_cast<std::remove_reference_t<decltype(field)>>(*v);
    }

    bool string(const Key& k, std::string& field) {
        const toml::node* n = node(k);
        if (!n) return false;
        auto v = n->value_exact<std::string>();
        if (!v) {
            problem(where(k, *n), k.path() + " must be a string in quotes",
                    std::string(k.ja) + "（" + k.path() + "）は \"…\" で囲んだ文字列で書いてください");
            return false;
        }
        field = *v;
        return true;
    }

    void boolean(const Key& k, bool& field) {
        const toml::node* n = node(k);
        if (!n) return;
        auto v = n->value_exact<bool>();
        if (!v) {
            problem(where(k, *n), k.path() + " must be true or false",
                    std::string(k.ja) + "（" + k.path() + "）は true か false で書いてください");
            return;
        }
        field = *v;
    }

    // An absolute path: the kiosk runs from systemd with / as its working directory, so a relative
    // path would silently point somewhere else than the clinic meant.
    bool check_absolute(const std::string& where_, const std::string& path, const std::string& what_ja,
                        const std::string& key) {
        if (path.empty() || path.front() != '/' || path.find('\0') != std::string::npos) {
            problem(where_, key + " must be an absolute path starting with / (is \"" + path + "\")",
                    what_ja + "（" + key + "）は / で始まる絶対パスで書いてください（現在 \"" + path + "\"）");
            return false;
        }
        return true;
    }

    void path(const Key& k, std::filesystem::path& field) {
        std::string s;
        const toml::node* n = node(k);
        if (!string(k, s)) return;
        if (check_absolute(where(k, *n), s, std::string(k.ja), k.path())) field = s;
    }

    void trust_store(const Key& k, std::vector<std::filesystem::path>& field);
    size_t count() const { return out_.size(); }
    void structure();

private:
    const toml::table& root_;
    std::vector<ConfigProblem>& out_;
    std::vector<std::string>& notices_;
};

// Each entry must be a readable PEM file now: the store is read once at start, and a missing key would
// otherwise turn every card into 未検証 without saying why.
void Checker::trust_store(const Key& k, std::vector<std::filesystem::path>& field) {
    const toml::node* n = node(k);
    if (!n) return;
    const toml::array* arr = n->as_array();
    if (!arr) {
        problem(where(k, *n), k.path() + " must be a list of file paths, e.g. [\"/etc/onshi-kiosk/trust/ca.pem\"]",
                std::string(k.ja) + "（" + k.path() + "）はファイルパスのリスト [\"…\"] で書いてください");
        return;
    }
    std::vector<std::filesystem::path> files;
    for (size_t i = 0; i < arr->size(); ++i) {
        const toml::node& item = *arr->get(i);
        std::string key = k.path() + "[" + std::to_string(i) + "]";
        std::string w = key + at_line(item.source());
        auto s = item.value_exact<std::string>();
        if (!s) {
            problem(w, key + " must be a string path",
                    std::string(k.ja) + "（" + key + "）は文字列のパスで書いてください");
            continue;
        }
        if (!check_absolute(w, *s, std::string(k.ja), key)) continue;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(*s, ec)) {
            problem(w, key + ": no such file " + *s,
                    std::string(k.ja) + "（" + key + "）のファイルがありません: " + *s);
            continue;
        }
        std::ifstream in(*s, std::ios::binary);
        std::string head(4096, '\0');
        in.read(head.data(), std::streamsize(head.size()));
        head.resize(size_t(in.gcount()));
        if (head.find("-----BEGIN ") == std::string::npos) {
            problem(w, key + ": " + *s + " is not readable as a PEM file (no -----BEGIN line)",
                    std::string(k.ja) + "（" + key + "）を PEM ファイルとして読めません: " + *s);
            continue;
        }
        files.emplace_back(*s);
    }
    field = std::move(files);
}

// Unknown sections and keys, and sections that are not tables ("oqs = 1").
void Checker::structure() {
    for (auto&& [key, value] : root_) {
        std::string sec(key.str());
        if (!is_section(sec)) {
            problem(sec + at_line(key.source()), "unknown section or key '" + sec + "'" + suggestion(sec, ""),
                    "不明な項目 '" + sec + "' があります（綴りを確認してください）");
            continue;
        }
        const toml::table* t = value.as_table();
        if (!t) {
            problem(sec + at_line(key.source()), "'" + sec + "' must be a section [" + sec + "]",
                    "'" + sec + "' は [" + sec + "] の見出しとして書いてください");
            continue;
        }
        for (auto&& [k2, v2] : *t) {
            std::string name(k2.str());
            (void)v2;
            if (find_retired_key(sec, name)) {
                notices_.push_back(sec + "." + name + at_line(k2.source()) + ": retired key, ignored");
            } else if (!find_key(sec, name)) {
                problem(sec + "." + name + at_line(k2.source()),
                        "unknown key '" + name + "' in [" + sec + "]" + suggestion(sec, name),
                        "[" + sec + "] に不明な項目 '" + name + "' があります（綴りを確認してください）");
            }
        }
    }
}

bool ascii_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

// A password written in a URI: "user:password@" before the host, or a password= parameter.
bool url_has_password(const std::string& url) {
    const size_t start = url.find("://") + 3, end = url.find_first_of("/?", start);
    const std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const size_t at = authority.rfind('@');
    return (at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos) ||
           url.find("password=") != std::string::npos;
}

// [ledger] url and password_file (docs/ledger-postgres.md): a PostgreSQL URI instead of the path, its
// password only in a file that nobody but its owner can read.
void check_ledger_server(Checker& c, KioskConfig& cfg) {
    const Key& url = key("ledger", "url");
    if (std::string s; c.string(url, s)) {
        const std::string w = c.where(url, *c.node(url));
        if (s.rfind("postgresql://", 0) != 0 && s.rfind("postgres://", 0) != 0) {
            c.problem(w, url.path() + " must be a PostgreSQL URI starting with postgresql://",
                      "原簿サーバーの接続先（ledger.url）は postgresql:// で始めてください");
        } else if (url_has_password(s)) {
            c.problem(w, url.path() + " must not hold the password: put it in ledger.password_file (mode 0600)",
                      "原簿サーバーのパスワードは接続先（ledger.url）に書かず、ledger.password_file のファイルに書いてください");
        } else if (c.node(key("ledger", "path"))) {
            c.problem(w, "set either ledger.path (a SQLite file) or ledger.url (a PostgreSQL server), not both",
                      "台帳ファイル（ledger.path）と原簿サーバー（ledger.url）はどちらか一方だけを設定してください");
        } else {
            cfg.ledger_url = s;
        }
    }
    const Key& pw = key("ledger", "password_file");
    const toml::node* n = c.node(pw);
    if (!n) return;
    std::filesystem::path file;
    c.path(pw, file);
    if (file.empty()) return;
    const std::string w = c.where(pw, *n);
    struct stat st {};
    if (!c.node(url)) {
        c.problem(w, pw.path() + " is used only with ledger.url",
                  "パスワードファイル（ledger.password_file）は原簿サーバー（ledger.url）と一緒に設定してください");
    } else if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        c.problem(w, pw.path() + ": no such file " + file.string(),
                  "パスワードファイル（ledger.password_file）がありません: " + file.string());
    } else if ((st.st_mode & 077) != 0) {
        c.problem(w, pw.path() + ": " + file.string() + " must be readable by its owner only (chmod 600)",
                  "パスワードファイル（ledger.password_file）は所有者だけが読めるようにしてください（chmod 600）: " +
                      file.string());
    } else {
        cfg.ledger_password_file = file;
    }
}

void check_values(Checker& c, KioskConfig& cfg) {
    // [clinic] — no default: a kiosk must never send another clinic's code.
    const Key& code = key("clinic", "medical_institution_code");
    if (!c.node(code)) {
        c.problem(code.path(), code.path() + " is required (10 digits)",
                  "医療機関コード（clinic.medical_institution_code）を 10 桁で設定してください");
    } else if (std::string s; c.string(code, s)) {
        std::string w = c.where(code, *c.node(code));
        if (!ascii_digits(s) || s.size() != 10) {
            c.problem(w, code.path() + " must be exactly 10 digits 0-9 (is \"" + s + "\")",
                      "医療機関コードは半角数字 10 桁で設定してください（現在 \"" + s + "\"）");
        } else if (int pref = std::stoi(s.substr(0, 2)); pref < 1 || pref > 47) {
            // The first two digits are the 都道府県番号 01..47.
            c.problem(w, code.path() + " must start with a prefecture number 01-47 (is " + s.substr(0, 2) + ")",
                      "医療機関コードの先頭 2 桁は都道府県番号 01〜47 です（現在 " + s.substr(0, 2) + "）");
        } else {
            cfg.medical_institution_code = s;
        }
    }

    // [oqs]
    c.path(key("oqs", "root"), cfg.oqs_root);
    const Key& enc = key("oqs", "encoding");
    if (std::string s; c.string(enc, s)) {
        std::string low = s;
        std::transform(low.begin(), low.end(), low.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
        if (low == "utf-8" || low == "shift_jis") {
            cfg.oqs_encoding = low;
        } else {
            c.problem(c.where(enc, *c.node(enc)), enc.path() + " must be \"utf-8\" or \"shift_jis\" (is \"" + s + "\")",
                      "文字コード（oqs.encoding）は \"utf-8\" か \"shift_jis\" にしてください（現在 \"" + s + "\"）");
        }
    }
    c.integer(key("oqs", "timeout_seconds"), 1, 3600, cfg.oqs_timeout_seconds);
    c.integer(key("oqs", "face_wait_seconds"), 10, 3600, cfg.face_wait_seconds);
    c.boolean(key("oqs", "auto_query"), cfg.auto_query);
    c.integer(key("oqs", "bulk_poll_seconds"), 1, 600, cfg.bulk_poll_seconds);

    // [reader]
    c.string(key("reader", "pattern"), cfg.reader_pattern);
    c.integer(key("reader", "face_tries_floor"), 1, 9, cfg.face_tries_floor);
    c.trust_store(key("reader", "trust_store"), cfg.trust_store);

    // [ledger]
    c.path(key("ledger", "path"), cfg.ledger_path);
    c.path(key("ledger", "backup_dir"), cfg.backup_dir);
    c.integer(key("ledger", "backup_keep_days"), 1, 3650, cfg.backup_keep_days);
    check_ledger_server(c, cfg);
    c.integer(key("ledger", "retry_max_seconds"), 1, 600, cfg.ledger_retry_max_seconds);
    c.integer(key("ledger", "answer_timeout_seconds"), 2, 600, cfg.ledger_answer_timeout_seconds);

    // [timeouts]
    c.integer(key("timeouts", "staff_idle_seconds"), 1, 3600, cfg.staff_idle_seconds);
    c.integer(key("timeouts", "done_seconds"), 1, 600, cfg.done_seconds);

    // [passcode]
    size_t before = c.count();
    c.integer(key("passcode", "min_digits"), 6, 8, cfg.passcode_min_digits);
    c.integer(key("passcode", "max_digits"), 6, 8, cfg.passcode_max_digits);
    if (c.count() == before && cfg.passcode_min_digits > cfg.passcode_max_digits) {
        c.problem("passcode.min_digits",
                  "passcode.min_digits (" + std::to_string(cfg.passcode_min_digits) +
                      ") must not exceed passcode.max_digits (" + std::to_string(cfg.passcode_max_digits) + ")",
                  "暗証番号の最小桁数（passcode.min_digits）が最大桁数（passcode.max_digits）より大きくなっています");
    }
    c.integer(key("passcode", "max_failures"), 1, 20, cfg.passcode_max_failures);
    c.integer(key("passcode", "lockout_minutes"), 1, 1440, cfg.passcode_lockout_minutes);
    // OWASP's PBKDF2-HMAC-SHA256 figure is the floor; the ceiling keeps one check under a few seconds.
    c.integer(key("passcode", "iterations"), 600000, 10000000, cfg.passcode_iterations);

    // [screen]
    before = c.count();
    c.integer(key("screen", "width"), 0, 16384, cfg.width);
    c.integer(key("screen", "height"), 0, 16384, cfg.height);
    if (c.count() == before) {
        bool one_zero = (cfg.width == 0) != (cfg.height == 0);
        if (one_zero || (cfg.width != 0 && (cfg.width < 320 || cfg.height < 240))) {
            c.problem("screen.width",
                      "screen.width and screen.height must both be 0 (the monitor's mode) or at least 320 x 240 (are " +
                          std::to_string(cfg.width) + " x " + std::to_string(cfg.height) + ")",
                      "画面の幅と高さ（screen.width / screen.height）は両方 0（モニタに合わせる）か、320×240 "
                      "以上にしてください");
        }
    }
    const Key& rot = key("screen", "rotation");
    int r = cfg.rotation;
    before = c.count();
    c.integer(rot, 0, 270, r);
    if (c.count() == before) {
        if (r % 90 != 0) {
            c.problem(c.where(rot, *c.node(rot)),
                      "screen.rotation must be 0, 90, 180 or 270 (is " + std::to_string(r) + ")",
                      "画面の回転（screen.rotation）は 0・90・180・270 のどれかにしてください（現在 " +
                          std::to_string(r) + "）");
        } else {
            cfg.rotation = r;
        }
    }
    c.boolean(key("screen", "fullscreen"), cfg.fullscreen);
}

// toml++ builds nested tables by recursion, so a key or header with tens of thousands of dotted segments (or
// as many nested inline tables/arrays) overflows the stack. The kiosk restarts on a crash and would loop
// instead of showing the problem, so the text is measured before toml++ sees it: a cheap scan that skips
// strings and comments and tracks how deep each key, header and value sits.
std::optional<ConfigProblem> prescan(const std::string& t) {
    if (t.size() > kMaxConfigBytes) {
        return ConfigProblem{
            "file", "the config file is larger than the limit of " + std::to_string(kMaxConfigBytes) + " bytes",
            "設定ファイルが大きすぎます（上限 " + std::to_string(kMaxConfigBytes) + " バイト）"};
    }
    const size_t n = t.size();
    size_t i = 0, line = 1;
    auto too_deep = [&]() {
        return ConfigProblem{"line " + std::to_string(line),
                             "keys or values nested more than " + std::to_string(kMaxConfigNesting) +
                                 " levels deep (line " + std::to_string(line) + ")",
                             "設定ファイルの項目の入れ子が深すぎます（" + std::to_string(line) + " 行目、上限 " +
                                 std::to_string(kMaxConfigNesting) + " 段）"};
    };
    // Past a quoted string or key starting at t[i]; an unterminated one simply ends the scan (toml++ reports it).
    auto skip_string = [&]() {
        const char q = t[i];
        const bool multi = i + 2 < n && t[i + 1] == q && t[i + 2] == q;
        i += multi ? 3 : 1;
        while (i < n) {
            const char c = t[i];
            if (c == '\\' && q == '"') {
                if (i + 1 < n && t[i + 1] == '\n') ++line;
                i += 2;
                continue;
            }
            if (c == '\n') {
                if (!multi) return;  // a single-line string cannot go on
                ++line;
            }
            if (c == q && (!multi || (i + 2 < n && t[i + 1] == q && t[i + 2] == q))) {
                i += multi ? 3 : 1;
                // """a"""" : up to two quotes right before the closing three belong to the string
                for (int k = 0; multi && k < 2 && i < n && t[i] == q; ++k) ++i;
                return;
            }
            ++i;
        }
    };
    auto skip_comment = [&]() {
        while (i < n && t[i] != '\n') ++i;
    };

    enum class State { Statement, Key, Value, AfterValue };
    State st = State::Statement;
    std::vector<std::pair<char, size_t>> open;  // inline '{' / '[' with the level outside it
    size_t level = 0;  // depth of the table being filled: the header's segments, or the inline table's depth
    size_t segs = 0;   // segments of the key being read
    size_t value_depth = 0;
    while (i < n) {
        const char c = t[i];
        if (c == '\n') {
            ++line;
            ++i;
            if (open.empty()) st = State::Statement;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
            continue;
        }
        if (c == '#') {
            skip_comment();
            continue;
        }
        switch (st) {
            case State::Statement:
                if (c == '[') {  // [table] or [[array.of.tables]]: its dotted segments are its depth
                    i += (i + 1 < n && t[i + 1] == '[') ? 2 : 1;
                    size_t header = 1;
                    while (i < n && t[i] != ']' && t[i] != '\n') {
                        if (t[i] == '"' || t[i] == '\'') {
                            skip_string();
                            continue;
                        }
                        if (t[i] == '.' && ++header > kMaxConfigNesting) return too_deep();
                        ++i;
                    }
                    while (i < n && t[i] == ']') ++i;
                    level = header;
                    st = State::AfterValue;
                    continue;
                }
                st = State::Key;
                segs = 1;
                continue;  // the same character starts the key
            case State::Key:
                if (c == '}' && !open.empty()) {  // "{}" or a trailing separator
                    level = open.back().second;
                    open.pop_back();
                    st = State::AfterValue;
                    ++i;
                    continue;
                }
                if (c == '"' || c == '\'') {
                    skip_string();
                    continue;
                }
                if (c == '.') {
                    if (level + ++segs > kMaxConfigNesting) return too_deep();
                } else if (c == '=') {
                    value_depth = level + segs;
                    if (value_depth > kMaxConfigNesting) return too_deep();
                    st = State::Value;
                }
                ++i;
                continue;
            case State::Value:
                if (c == '"' || c == '\'') {
                    skip_string();
                    st = State::AfterValue;
                    continue;
                }
                if (c == '[' || c == '{') {
                    open.emplace_back(c, level);
                    level = value_depth;
                    if (level + 1 > kMaxConfigNesting) return too_deep();
                    if (c == '[') {
                        value_depth = level + 1;  // the elements
                    } else {
                        st = State::Key;
                        segs = 1;
                    }
                    ++i;
                    continue;
                }
                if (c == ']' && !open.empty()) {  // "[]" or a trailing comma
                    level = open.back().second;
                    open.pop_back();
                    st = State::AfterValue;
                    ++i;
                    continue;
                }
                // A number, date or boolean: up to the next separator.
                while (i < n && std::string_view(",]}#\n \t\r").find(t[i]) == std::string_view::npos) ++i;
                st = State::AfterValue;
                continue;
            case State::AfterValue:
                if (c == ',' && !open.empty()) {
                    if (open.back().first == '[') {
                        value_depth = level + 1;
                        st = State::Value;
                    } else {
                        st = State::Key;
                        segs = 1;
                    }
                } else if ((c == ']' || c == '}') && !open.empty()) {
                    level = open.back().second;
                    open.pop_back();
                }
                ++i;  // anything else is a syntax error toml++ will name
                continue;
        }
    }
    return std::nullopt;
}

}  // namespace

ConfigLoad parse_config(const std::string& toml_text, const std::string& source_name) {
    ConfigLoad out;
    if (auto p = prescan(toml_text)) {
        out.problems.push_back(std::move(*p));
        return out;
    }
    toml::table root;
    try {
        root = toml::parse(toml_text, source_name);
    } catch (const toml::parse_error& e) {
        const auto& b = e.source().begin;
        std::string pos = "line " + std::to_string(b.line) + ", column " + std::to_string(b.column);
        out.problems.push_back({pos, "TOML syntax error: " + std::string(e.description()),
                                "設定ファイルの書き方に誤りがあります（" + std::to_string(b.line) + " 行目 " +
                                    std::to_string(b.column) + " 文字目）: " + std::string(e.description())});
        return out;
    }
    Checker c(root, out.problems, out.notices);
    c.structure();
    check_values(c, out.config);
    return out;
}

ConfigLoad load_config(const std::filesystem::path& file) {
    ConfigLoad out;
    std::error_code ec;
    auto st = std::filesystem::status(file, ec);
    if (!std::filesystem::exists(st)) {
        out.problems.push_back({file.string(), "config file not found: " + file.string(),
                                "設定ファイルが見つかりません: " + file.string()});
        return out;
    }
    if (!std::filesystem::is_regular_file(st)) {
        out.problems.push_back({file.string(), "config path is not a regular file: " + file.string(),
                                "設定ファイルの場所がファイルではありません: " + file.string()});
        return out;
    }
    std::ifstream in(file, std::ios::binary);
    std::string text;
    if (in) {
        // One byte over the limit is enough for parse_config to refuse it; a huge file is never read whole.
        text.resize(kMaxConfigBytes + 1);
        in.read(text.data(), std::streamsize(text.size()));
        text.resize(size_t(in.gcount()));
        if (!in.bad()) in.clear();  // a short read only sets eof/fail
    }
    if (!in) {
        out.problems.push_back({file.string(), "cannot read the config file (permissions?): " + file.string(),
                                "設定ファイルを読めません（権限を確認してください）: " + file.string()});
        return out;
    }
    return parse_config(text, file.string());
}

}  // namespace onshi::config
