// LedgerStore::copy_to: a clinic's SQLite 患者原簿 (with its history and audit) into an empty ledger on
// another engine, every row with its id, in one transaction; then counted and checksummed on both sides
// (docs/ledger-postgres.md, "Moving a SQLite ledger to PostgreSQL").
#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/ledger/detail.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/ledger/schema.hpp"

namespace onshi::ledger {
namespace {

struct Table {
    std::string name;
    std::set<std::string> blobs;  // columns declared BLOB (sent as bytes)
};

// The source's tables (a SQLite ledger), parents before children so every reference is there when a row
// arrives; a table referring to itself (audit.undo_of) is filled in id order, older rows first.
std::vector<Table> source_tables(sql::Db& db) {
    std::vector<std::string> names;
    {
        sql::Stmt st(db,
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                     "ORDER BY name");
        while (st.step()) names.push_back(st.text(0));
    }
    std::map<std::string, std::set<std::string>> parents;
    std::map<std::string, Table> tables;
    for (const auto& n : names) {
        Table t{n, {}};
        sql::Stmt cols(db, "SELECT name, type FROM pragma_table_info(?)");
        cols.bind(1, n);
        while (cols.step())
            if (cols.text(1) == "BLOB") t.blobs.insert(cols.text(0));
        sql::Stmt fks(db, "SELECT \"table\" FROM pragma_foreign_key_list(?)");
        fks.bind(1, n);
        while (fks.step())
            if (fks.text(0) != n) parents[n].insert(fks.text(0));
        tables[n] = std::move(t);
    }
    std::vector<Table> ordered;
    std::set<std::string> done;
    while (done.size() < names.size()) {
        bool progress = false;
        for (const auto& n : names) {
            if (done.count(n)) continue;
            bool ready = true;
            for (const auto& p : parents[n]) ready = ready && (done.count(p) || !tables.count(p));
            if (!ready) continue;
            ordered.push_back(tables[n]);
            done.insert(n);
            progress = true;
        }
        if (!progress)
            throw LedgerError(ErrorCode::Invalid, "ledger tables refer to each other in a cycle; cannot order the copy",
                              "患者原簿を移行できません（表の参照が循環しています）。");
    }
    return ordered;
}

void add_bytes(EVP_MD_CTX* ctx, std::string_view s) {
    const std::string len = std::to_string(s.size()) + ":";
    EVP_DigestUpdate(ctx, len.data(), len.size());
    EVP_DigestUpdate(ctx, s.data(), s.size());
}

// Rows in id order; in each row the columns by name, each value with its type (null, integer, bytes).
// The same rows give the same checksum on SQLite and PostgreSQL.
LedgerStore::CopiedTable summarise(sql::Db& db, const std::string& table) {
    LedgerStore::CopiedTable out;
    out.table = table;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    sql::Stmt st(db, "SELECT * FROM " + table + " ORDER BY id");
    std::vector<std::pair<std::string, int>> cols;
    while (st.step()) {
        if (cols.empty()) {
            for (int c = 0; c < st.columns(); ++c) cols.emplace_back(st.name(c), c);
            std::sort(cols.begin(), cols.end());
        }
        ++out.rows;
        for (const auto& [name, c] : cols) {
            add_bytes(ctx, name);
            const Json v = st.value(c);
            if (v.is_null()) {
                add_bytes(ctx, "n");
            } else if (v.is_number_integer()) {
                add_bytes(ctx, "i" + std::to_string(v.get<int64_t>()));
            } else {
                add_bytes(ctx, "s");
                add_bytes(ctx, v.get_ref<const std::string&>());
            }
        }
        add_bytes(ctx, "|");
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx, md, &n);
    EVP_MD_CTX_free(ctx);
    static const char* hex = "0123456789abcdef";
    for (unsigned int i = 0; i < n; ++i) {
        out.sha256 += hex[md[i] >> 4];
        out.sha256 += hex[md[i] & 15];
    }
    return out;
}

}  // namespace

LedgerStore::CopyReport LedgerStore::copy_to(LedgerStore& target) const {
    if (db_->postgres())
        throw LedgerError(ErrorCode::Invalid, "the ledger to copy from must be a SQLite file",
                          "移行元は SQLite の患者原簿ファイルにしてください。");
    if (schema_version_ != kSchemaVersion || target.schema_version_ != kSchemaVersion)
        throw LedgerError(ErrorCode::Invalid,
                          "both ledgers must be at schema " + std::to_string(kSchemaVersion) +
                              " (open the SQLite ledger once read-write with this program to migrate it)",
                          "患者原簿の版が揃っていません。移行元を一度このプログラムで開いてから移行してください。");
    CopyReport report;
    sql::Db& src = *db_;
    sql::Db& dst = *target.db_;
    src.exec("BEGIN");  // one snapshot of the source for the copy and its checksums
    struct End {
        sql::Db& db;
        ~End() { db.rollback(); }
    } end{src};
    const std::vector<Table> tables = source_tables(src);
    {
        sql::Tx tx(dst);
        for (const Table& t : tables) {
            sql::Stmt any(dst, "SELECT count(*) FROM " + t.name);
            if (any.step() && any.integer(0) != 0)
                throw LedgerError(ErrorCode::Conflict,
                                  "the target ledger " + target.path().string() + " is not empty (table " + t.name +
                                      "); refusing to copy into it",
                                  "移行先の患者原簿が空ではありません。空のデータベースを指定してください。");
        }
        for (const Table& t : tables) {
            sql::Stmt rows(src, "SELECT * FROM " + t.name + " ORDER BY id");
            std::string insert;
            while (rows.step()) {
                if (insert.empty()) {
                    std::string names, marks;
                    for (int c = 0; c < rows.columns(); ++c) {
                        names += (c ? ",\"" : "\"") + rows.name(c) + "\"";
                        marks += c ? ",?" : "?";
                    }
                    insert = "INSERT INTO " + t.name + "(" + names + ") VALUES(" + marks + ")";
                }
                sql::Stmt ins(dst, insert);
                for (int c = 0; c < rows.columns(); ++c) {
                    if (t.blobs.count(rows.name(c)) && !rows.is_null(c))
                        ins.bind_blob(c + 1, rows.text(c));
                    else
                        ins.bind_value(c + 1, rows.value(c));
                }
                ins.run();
            }
        }
        // Identity keys go on after the copied ids (PostgreSQL; SQLite takes max(id) + 1 by itself).
        if (dst.postgres())
            for (const Table& t : tables) {
                sql::Stmt seq(dst, "SELECT pg_get_serial_sequence(?, 'id')");
                seq.bind(1, t.name);
                if (seq.step() && !seq.is_null(0))
                    sql::Stmt(dst, "SELECT setval(?, (SELECT max(id) FROM " + t.name + "))").bind(1, seq.text(0)).run();
            }
        tx.commit();
    }
    for (const Table& t : tables) {
        CopiedTable from = summarise(src, t.name), to = summarise(dst, t.name);
        if (from.rows != to.rows || from.sha256 != to.sha256)
            throw LedgerError(ErrorCode::Corrupt,
                              "copy of table " + t.name + " does not match: " + std::to_string(from.rows) + " rows " +
                                  from.sha256 + " in the source, " + std::to_string(to.rows) + " rows " + to.sha256 +
                                  " in the target",
                              "移行後の照合で不一致が見つかりました。移行先を使わず、管理者に連絡してください。");
        report.tables.push_back(from);
    }
    return report;
}

}  // namespace onshi::ledger
