// Synthetic YZK/TKK answers (docs/medinfo.md, "Simulator"). Medicine names are real generic names so the
// viewer's highlights can be seen; the codes and every value are made up.
#include "core/oqs/medinfo_sim.hpp"

#include <cstdio>

#include "core/oqs/element.hpp"

namespace onshi::oqs::medinfo {
namespace {

struct Drug {
    const char* code;  // illustrative 12-character YJ-style codes (the first 4 digits are the 薬効分類)
    const char* name;
    const char* ingredient;
    const char* unit;
    const char* usage;
    int per_day;
};

constexpr Drug kAnticoagulants[] = {
    {"3332001F1012", "ワルファリンＫ錠１ｍｇ", "ワルファリンカリウム", "錠", "１日１回朝食後", 2},
    {"3339004F2020", "エリキュース錠５ｍｇ", "アピキサバン", "錠", "１日２回朝夕食後", 2},
    {"3339003F1024", "イグザレルト錠１５ｍｇ", "リバーロキサバン", "錠", "１日１回朝食後", 1},
};
constexpr Drug kBoneDrugs[] = {
    {"3999018F2011", "アレンドロン酸錠３５ｍｇ", "アレンドロン酸ナトリウム水和物", "錠", "週１回起床時", 1},
    {"3999019F1026", "アクトネル錠１７．５ｍｇ", "リセドロン酸ナトリウム水和物", "錠", "週１回起床時", 1},
    {"3999028F2022", "ボノテオ錠５０ｍｇ", "ミノドロン酸水和物", "錠", "４週に１回起床時", 1},
};
constexpr Drug kCommon[] = {
    {"2171022F1015", "アムロジピン錠５ｍｇ", "アムロジピンベシル酸塩", "錠", "１日１回朝食後", 1},
    {"2189017F1010", "ロスバスタチン錠２．５ｍｇ", "ロスバスタチンカルシウム", "錠", "１日１回夕食後", 1},
    {"3962002F1011", "メトホルミン塩酸塩錠２５０ｍｇ", "メトホルミン塩酸塩", "錠", "１日２回朝夕食後", 2},
    {"2329023F2014", "ランソプラゾールＯＤ錠１５ｍｇ", "ランソプラゾール", "錠", "１日１回朝食後", 1},
    {"1149019F1013", "ロキソプロフェンＮａ錠６０ｍｇ", "ロキソプロフェンナトリウム水和物", "錠", "疼痛時", 3},
    {"1141007F1012", "カロナール錠２００", "アセトアミノフェン", "錠", "疼痛時", 3},
};
constexpr const char* kPharmacies[][2] = {{"1312345671", "シミュレータ薬局 本店"}, {"1312345689", "みどり調剤薬局"}};
constexpr const char* kClinics[][2] = {{"1311111111", "シミュレータ内科クリニック"},
                                       {"1312222222", "シミュレータ整形外科"}};

struct Item {
    const char* code;
    const char* name;
    const char* unit;
    double base, spread, drift;  // value = base + drift·year + noise·spread
    int decimals;
};
constexpr Item kItems[] = {
    {"9N001000000000001", "身長", "cm", 162.0, 0.3, -0.1, 1},
    {"9N006000000000001", "体重", "kg", 63.0, 1.5, 0.6, 1},
    {"9N011000000000001", "ＢＭＩ", "kg/m2", 24.0, 0.6, 0.2, 1},
    {"9N016160100000001", "腹囲", "cm", 86.0, 1.5, 0.8, 1},
    {"9A751000000000001", "収縮期血圧", "mmHg", 132.0, 6.0, 2.0, 0},
    {"9A761000000000001", "拡張期血圧", "mmHg", 82.0, 4.0, 1.0, 0},
    {"3F015000002327101", "中性脂肪", "mg/dL", 140.0, 25.0, 4.0, 0},
    {"3F070000002327101", "ＨＤＬコレステロール", "mg/dL", 55.0, 5.0, -1.0, 0},
    {"3F077000002327101", "ＬＤＬコレステロール", "mg/dL", 128.0, 12.0, 3.0, 0},
    {"3D010000001926101", "空腹時血糖", "mg/dL", 102.0, 6.0, 3.0, 0},
    {"3D046000001906202", "ＨｂＡ１ｃ", "%", 5.8, 0.15, 0.1, 1},
    {"3B035000002327201", "ＡＳＴ（ＧＯＴ）", "U/L", 24.0, 4.0, 0.5, 0},
    {"3B045000002327201", "ＡＬＴ（ＧＰＴ）", "U/L", 22.0, 5.0, 0.5, 0},
    {"3B090000002327101", "γ－ＧＴ（γ－ＧＴＰ）", "U/L", 35.0, 8.0, 1.5, 0},
};

// A small deterministic generator (xorshift32): the same seed gives the same file on every machine.
struct Rng {
    uint32_t s;
    uint32_t next() {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        return s;
    }
    int below(int n) { return int(next() % uint32_t(n)); }
    double unit() { return double(next() % 10000) / 10000.0 - 0.5; }  // -0.5 … 0.5
};

std::string month_back(const std::string& end, int back) {
    int y = std::stoi(end.substr(0, 4)), m = std::stoi(end.substr(4, 2)) - back;
    while (m < 1) {
        m += 12;
        --y;
    }
    char b[32];
    std::snprintf(b, sizeof b, "%04d%02d", y, m);
    return b;
}

std::string fmt(double v, int decimals) {
    char b[32];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

Element root_with_header(const SyntheticOptions& o, const PatientHeader& p, const char* info, const char* kana,
                         const char* birth, const char* sex) {
    Element root{"XmlMsg", {}, {}};
    Element& h = root.add("MessageHeader");
    if (!o.medical_institution_code.empty()) h.add("MedicalInstitutionCode", o.medical_institution_code);
    if (!o.arbitrary_file_identifier.empty()) h.add("ArbitraryFileIdentifier", o.arbitrary_file_identifier);
    h.add("CharacterCodeIdentifier", character_code_of(o.encoding));
    Element& q = h.add(info);
    q.add("Name", p.name);
    q.add(kana, p.kana);
    q.add(birth, p.birth);
    q.add(sex, p.sex);
    h.add("ResultCode", "1");
    return root;
}

struct Plan {
    std::vector<const Drug*> drugs;
};

Plan drug_plan(Rng& r) {
    Plan p;
    p.drugs.push_back(&kAnticoagulants[r.below(3)]);
    p.drugs.push_back(&kBoneDrugs[r.below(3)]);
    int extra = 2 + r.below(3);
    for (int i = 0; i < extra; ++i) {
        const Drug* d = &kCommon[r.below(6)];
        bool dup = false;
        for (const Drug* x : p.drugs) dup = dup || x == d;
        if (!dup) p.drugs.push_back(d);
    }
    return p;
}

}  // namespace

std::string synthetic_drug_xml(const SyntheticPerson& person, const SyntheticOptions& o) {
    Rng r{person.seed ? person.seed : 1u};
    Plan plan = drug_plan(r);
    Element root = root_with_header(o, person.header, "QuaInf", "KanaName", "Birth", "AdmGendCode");
    Element& body = root.add("MessageBody");
    for (int back = 0; back < o.months; ++back) {
        const std::string month = month_back(o.end_month, back);
        // Two prescriptions a month from the clinic, dispensed at a pharmacy (院外).
        for (int visit = 0; visit < 2; ++visit) {
            Element& m = body.add("MeTrMonthInf");
            const auto& clinic = kClinics[visit];
            const auto& pharmacy = kPharmacies[r.below(2)];
            m.add("DiOrg", "2");
            m.add("MeTrDiHCd", pharmacy[0]);
            m.add("MeTrDiHNm", pharmacy[1]);
            m.add("PrlsHCd", clinic[0]);
            m.add("PrlsHNm", clinic[1]);
            m.add("MeTrMonth", month);
            m.add("PrIsOrg", "1");
            m.add("InOut", "2");
            Element& dates = m.add("DiDateInfs");
            Element& d = dates.add("DiDateInf");
            char day[16];
            std::snprintf(day, sizeof day, "%02d", 3 + visit * 14 + r.below(5));
            d.add("DiDate", month + day);
            d.add("PrDate", month + day);
            Element& drugs = d.add("DrugInfs");
            for (size_t i = 0; i < plan.drugs.size(); ++i) {
                if (size_t(visit) != i % 2 && i >= 2) continue;  // the common drugs split between the clinics
                if (visit == 1 && i < 2) continue;               // the two highlighted drugs come from clinic 1
                const Drug& g = *plan.drugs[i];
                Element& x = drugs.add("DrugInf");
                x.add("DrugC", g.code);
                x.add("DrugN", g.name);
                x.add("IngreN", g.ingredient);
                x.add("Qua1", std::to_string(g.per_day));
                x.add("Unit", g.unit);
                x.add("UsageN", g.usage);
                x.add("Times", std::to_string(std::string(g.usage).find("週") != std::string::npos ? 4 : 14));
                x.add("MeTrIdCl", "1");
            }
            Element& tr = m.add("MeTrInfs");
            Element& t = tr.add("MeTrInf");
            t.add("SinInfN", "調剤基本料");
            t.add("SinInfCd", "120000110");
            t.add("MeTrIdCl", "1");
            t.add("Qua1", "1");
            t.add("Times", "1");
        }
    }
    return encode_xml(root, o.encoding);
}

std::string synthetic_checkup_xml(const SyntheticPerson& person, const SyntheticOptions& o) {
    Rng r{person.seed ? person.seed * 2654435761u : 7u};
    Element root = root_with_header(o, person.header, "QualificationsInfo", "KanasName", "Birthday",
                                    "AdministrativeGenderCode");
    Element& body = root.add("MessageBody");
    const int last = std::stoi(o.end_month.substr(0, 4));
    for (int y = 0; y < o.years; ++y) {
        const int year = last - (o.years - 1 - y);
        Element& c = body.add("SpecificHealthCheckupInfo");
        char eff[32];
        std::snprintf(eff, sizeof eff, "%04d06%02d", year, 10 + r.below(15));
        c.add("EffectiveTime", eff);
        Element& list = c.add("HealthCheckupResultAndQuestionInfos");
        for (const Item& it : kItems) {
            Element& e = list.add("HealthCheckupResultAndQuestionInfo");
            e.add("ItemCode", it.code);
            e.add("ItemName", it.name);
            e.add("DataType", "PQ");
            e.add("DataValue", fmt(it.base + it.drift * y + r.unit() * it.spread, it.decimals));
            e.add("Unit", it.unit);
            e.add("Oid", "1.2.392.200119.6.1005");
        }
    }
    return encode_xml(root, o.encoding);
}

std::string error_xml(InfoKind kind, const std::string& code, const std::string& message, Encoding e) {
    Element root{"XmlMsg", {}, {}};
    Element& h = root.add("MessageHeader");
    h.add("CharacterCodeIdentifier", character_code_of(e));
    h.add("ResultCode", code);
    h.add("MessageContents", message);
    root.add("MessageBody");
    (void)kind;
    return encode_xml(root, e);
}

std::string simple_pdf(const std::string& title, const std::vector<std::string>& lines) {
    auto ascii = [](const std::string& s) {
        std::string out;
        for (unsigned char c : s) {
            if (c >= 0x80) {
                if ((c & 0xC0) != 0x80) out += '?';  // one '?' per UTF-8 character
                continue;
            }
            if (c == '(' || c == ')' || c == '\\') out += '\\';
            out += c < 0x20 ? ' ' : char(c);
        }
        return out;
    };
    constexpr size_t kPerPage = 48;
    const size_t pages = lines.empty() ? 1 : (lines.size() + kPerPage - 1) / kPerPage;
    std::vector<std::string> objects;  // objects[i] is object i+1
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    std::string kids;
    for (size_t p = 0; p < pages; ++p) kids += std::to_string(4 + 2 * p) + " 0 R ";
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
    objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    for (size_t p = 0; p < pages; ++p) {
        std::string s = "0.15 0.35 0.65 rg 40 790 515 2 re f\n0 0 0 rg\nBT /F1 16 Tf 40 800 Td (" + ascii(title) +
                        ") Tj ET\nBT /F1 9 Tf 480 800 Td (page " + std::to_string(p + 1) + "/" +
                        std::to_string(pages) + ") Tj ET\n";
        double y = 770;
        for (size_t i = p * kPerPage; i < std::min(lines.size(), (p + 1) * kPerPage); ++i, y -= 15)
            s += "BT /F1 10 Tf 40 " + fmt(y, 0) + " Td (" + ascii(lines[i]) + ") Tj ET\n";
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R "
                          ">> >> /Contents " +
                          std::to_string(5 + 2 * p) + " 0 R >>");
        objects.push_back("<< /Length " + std::to_string(s.size()) + " >>\nstream\n" + s + "endstream");
    }
    std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<size_t> offsets;
    for (size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(out.size());
        out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const size_t xref = out.size();
    out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (size_t off : offsets) {
        char b[24];
        std::snprintf(b, sizeof b, "%010zu 00000 n \n", off);
        out += b;
    }
    out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return out;
}

std::string synthetic_drug_pdf(const SyntheticPerson& p, const SyntheticOptions& o) {
    DrugAnswer a = parse_drug(synthetic_drug_xml(p, SyntheticOptions{o.end_month, o.months, o.years, "", "", Encoding::Utf8}));
    std::vector<std::string> lines;
    for (const auto& m : a.months)
        for (const auto& d : m.dates)
            for (const auto& g : d.drugs)
                lines.push_back(d.dispensed + "  " + g.code + "  x" + g.quantity + "  " + g.times + " days  (" +
                                m.prescriber_code + " -> " + m.institution_code + ")");
    return simple_pdf("Drug information (YZK, synthetic) birth " + p.header.birth, lines);
}

std::string synthetic_checkup_pdf(const SyntheticPerson& p, const SyntheticOptions& o) {
    CheckupAnswer a =
        parse_checkup(synthetic_checkup_xml(p, SyntheticOptions{o.end_month, o.months, o.years, "", "", Encoding::Utf8}));
    std::vector<std::string> lines;
    for (const auto& c : a.checkups) {
        lines.push_back("Checkup " + c.effective);
        for (const auto& i : c.items) lines.push_back("    " + i.code + "  " + i.value + " " + i.unit);
    }
    return simple_pdf("Specific health checkup (TKK, synthetic) birth " + p.header.birth, lines);
}

}  // namespace onshi::oqs::medinfo
