#include "core/ledger/sample.hpp"

#include "core/ledger/detail.hpp"
#include "core/util/files.hpp"

namespace onshi::ledger {
using namespace detail;

namespace {
std::string str(const Json& obj, const char* key) {
    if (!obj.contains(key)) return "";
    if (!obj[key].is_string())
        invalid(std::string("sample: ") + key + " must be a string", "サンプルデータが不正です。");
    return obj[key].get<std::string>();
}

// Card or patient keys → plan fields; anything not a Field column is refused.
std::vector<FieldValue> fields_of(const Json& obj, bool patient) {
    std::vector<FieldValue> out;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        auto f = field_from_column(it.key());
        if (f && is_patient_field(*f) == patient) out.push_back({*f, str(obj, it.key().c_str())});
    }
    return out;
}

void require_keys(const Json& obj, std::initializer_list<const char*> allowed) {
    if (!obj.is_object()) invalid("sample: expected an object", "サンプルデータが不正です。");
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        bool ok = field_from_column(it.key()).has_value();
        for (const char* a : allowed) ok = ok || it.key() == a;
        if (!ok) invalid("sample: unknown key " + it.key(), "サンプルデータが不正です: " + it.key());
    }
}
}  // namespace

std::filesystem::path default_sample_path() {
    return std::filesystem::path(ONSHI_SOURCE_DIR) / "assets/ledger/sample.json";
}

ImportCounts import_sample(LedgerStore& store, const Json& data, const std::string& staff_id,
                           const std::filesystem::path& base) {
    ImportCounts n;
    for (const auto& s : data.value("staff", Json::array())) {
        require_keys(s, {"id", "name", "role"});
        store.add_staff({str(s, "id"), str(s, "name"), str(s, "role"), "", "", 0, 0, "", true}, staff_id);
        ++n.staff;
    }
    for (const auto& p : data.value("patients", Json::array())) {
        require_keys(p, {"karte", "phones", "cards", "checks", "kouhi", "kaigo", "reference_number", "medinfo"});
        const std::string karte = str(p, "karte");
        OverwritePlan reg;
        reg.kind = PlanKind::RegisterPatient;
        reg.karte = karte;
        reg.fields = fields_of(p, true);
        const Json cards = p.value("cards", Json::array());
        size_t next = 0;
        if (!cards.empty() && !cards[0].contains("switch_date")) {
            for (auto& f : fields_of(cards[0], false)) reg.fields.push_back(f);
            next = 1;
            ++n.cards;
        }
        store.apply(reg, staff_id);
        ++n.patients;
        for (; next < cards.size(); ++next) {
            require_keys(cards[next], {"switch_date"});
            OverwritePlan sw;
            sw.kind = PlanKind::SwitchCard;
            sw.karte = karte;
            sw.switch_date = str(cards[next], "switch_date");
            sw.fields = fields_of(cards[next], false);
            store.apply(sw, staff_id);
            ++n.cards;
        }
        if (p.contains("phones")) {
            require_keys(p["phones"], {"home", "contact", "mobile"});
            store.set_phones(karte, {str(p["phones"], "home"), str(p["phones"], "contact"), str(p["phones"], "mobile")},
                             staff_id);
        }
        for (const auto& k : p.value("kouhi", Json::array())) {
            require_keys(k, {"futansha_number", "jukyusha_number", "valid_from", "valid_until", "note"});
            store.add_kouhi(karte,
                            {0, str(k, "futansha_number"), str(k, "jukyusha_number"), str(k, "valid_from"),
                             str(k, "valid_until"), str(k, "note")},
                            staff_id);
        }
        for (const auto& k : p.value("kaigo", Json::array())) {
            require_keys(k, {"insurer_number", "insured_number", "care_level", "valid_from", "valid_until"});
            store.add_kaigo(karte,
                            {0, str(k, "insurer_number"), str(k, "insured_number"), str(k, "care_level"),
                             str(k, "valid_from"), str(k, "valid_until")},
                            staff_id);
        }
        for (const auto& c : p.value("checks", Json::array())) {
            require_keys(c, {"checked_at", "method", "validity", "processing_status", "result_code", "message"});
            auto method = check_method_from_code(str(c, "method"));
            if (!method) invalid("sample: unknown check method " + str(c, "method"), "サンプルデータが不正です。");
            OverwritePlan chk;
            chk.kind = PlanKind::RecordCheckOnly;
            chk.karte = karte;
            chk.check = PlannedCheck{*method,
                                     str(c, "checked_at"),
                                     str(c, "validity"),
                                     str(c, "processing_status"),
                                     str(c, "result_code"),
                                     str(c, "message"),
                                     ""};
            store.apply(chk, staff_id);
            ++n.checks;
        }
        for (const auto& m : p.value("medinfo", Json::array())) {
            require_keys(m, {"kind", "file"});
            const std::string file = str(m, "file");
            if (file.empty() || file.find("..") != std::string::npos || file[0] == '/')
                invalid("sample: medinfo file must be a path below the sample's folder", "サンプルデータが不正です。");
            files::BoundedRead bytes = files::read_regular(base / file, 64u << 20);
            if (!bytes.ok()) invalid("sample: " + bytes.message_en, "サンプルデータを読めません: " + file);
            MedinfoRecord row;
            row.karte = karte;
            row.kind = str(m, "kind");
            row.format = file.size() > 4 && file.compare(file.size() - 4, 4, ".pdf") == 0 ? "pdf" : "xml";
            row.file = std::filesystem::path(file).filename().string();
            row.raw = std::move(bytes.bytes);
            store.add_medinfo(row, staff_id);
            ++n.medinfo;
        }
        if (p.contains("reference_number")) {
            OverwritePlan link;
            link.kind = PlanKind::RecordCheckOnly;
            link.karte = karte;
            link.reference_number = str(p, "reference_number");
            store.apply(link, staff_id);
        }
    }
    return n;
}

}  // namespace onshi::ledger
