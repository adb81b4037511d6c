#include "core/config/schema.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace onshi::config {

const std::vector<Key>& keys() {
    static const std::vector<Key> k = {
        {"clinic", "medical_institution_code", "医療機関コード"},
        {"oqs", "root", "オンライン資格確認の共有フォルダ"},
        {"oqs", "encoding", "照会ファイルの文字コード"},
        {"oqs", "timeout_seconds", "資格確認の応答待ち時間（秒）"},
        {"oqs", "face_wait_seconds", "目視確認で顔認証付きカードリーダーの結果を待つ時間（秒）"},
        {"oqs", "auto_query", "受付時に登録済みの保険証で資格確認する"},
        {"oqs", "bulk_poll_seconds", "一括照会の結果を問い合わせる間隔（秒）"},
        {"reader", "pattern", "カードリーダー名"},
        {"reader", "face_tries_floor", "照合番号B の残り回数の下限"},
        {"reader", "trust_store", "カード署名の信頼する鍵"},
        {"ledger", "path", "台帳ファイル"},
        {"ledger", "backup_dir", "台帳のバックアップ先"},
        {"ledger", "backup_keep_days", "バックアップの保存日数"},
        {"ledger", "url", "原簿サーバー（PostgreSQL）の接続先"},
        {"ledger", "password_file", "原簿サーバーのパスワードファイル"},
        {"ledger", "retry_max_seconds", "原簿サーバーに接続できないときの再試行の最大間隔（秒）"},
        {"ledger", "answer_timeout_seconds", "原簿サーバーの応答を待つ最大時間（秒）"},
        {"timeouts", "staff_idle_seconds", "職員画面の無操作タイムアウト（秒）"},
        {"timeouts", "done_seconds", "完了画面の表示時間（秒）"},
        {"passcode", "min_digits", "暗証番号の最小桁数"},
        {"passcode", "max_digits", "暗証番号の最大桁数"},
        {"passcode", "max_failures", "暗証番号の誤り許容回数"},
        {"passcode", "lockout_minutes", "暗証番号ロックの時間（分）"},
        {"passcode", "iterations", "暗証番号ハッシュの反復回数"},
        {"screen", "width", "画面の幅"},
        {"screen", "height", "画面の高さ"},
        {"screen", "rotation", "画面の回転"},
        {"screen", "fullscreen", "全画面表示"},
    };
    return k;
}

namespace {

// Keys older files hold that no longer mean anything: accepted, ignored, and noted in the log.
//   timeouts.patient_idle_seconds: no kiosk step is operated by the patient (the consents are answered on the
//   顔認証付きカードリーダー), so there is no patient idle timer.
const std::vector<Key>& retired() {
    static const std::vector<Key> k = {
        {"timeouts", "patient_idle_seconds", "患者画面の無操作タイムアウト（秒）"},
    };
    return k;
}

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

}  // namespace

const Key* find_retired_key(std::string_view section, std::string_view name) {
    for (const Key& k : retired())
        if (k.section == section && k.name == name) return &k;
    return nullptr;
}

const Key* find_key(std::string_view section, std::string_view name) {
    for (const Key& k : keys())
        if (k.section == section && k.name == name) return &k;
    return nullptr;
}

const Key& key(std::string_view section, std::string_view name) {
    if (const Key* k = find_key(section, name)) return *k;
    throw std::logic_error("config schema has no key " + std::string(section) + "." + std::string(name));
}

bool is_section(std::string_view section) {
    return std::any_of(keys().begin(), keys().end(), [&](const Key& k) { return k.section == section; });
}

std::string suggestion(std::string_view section, std::string_view name) {
    std::string_view best;
    size_t best_d = 3;
    for (const Key& k : keys()) {
        std::string_view cand = name.empty() ? k.section : k.name;
        if (!name.empty() && k.section != section) continue;
        size_t d = edit_distance(name.empty() ? section : name, cand);
        if (d < best_d) best_d = d, best = cand;
    }
    return best.empty() ? "" : " (did you mean '" + std::string(best) + "'?)";
}

}  // namespace onshi::config
