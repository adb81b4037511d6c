#include "core/rules/codes.hpp"

namespace onshi::rules {

namespace {

// Labels as in the OQS 業務コード仕様 (via /work/shared/domain/oqs-interface.md §4).
constexpr CodeEntry k001[] = {{"0", "未同意"}, {"1", "同意"}};
constexpr CodeEntry k002[] = {{"1", "マイナンバーカード"}, {"2", "被保険者証情報"}};
constexpr CodeEntry k003[] = {{"1", "正常終了"}, {"2", "処理中"}, {"9", "異常終了"}};
constexpr CodeEntry k004[] = {{"1", "正常終了"}, {"2", "エラー"}};
constexpr CodeEntry k005[] = {{"0", "UTF-8"}, {"1", "Shift_JIS"}};
constexpr CodeEntry k006[] = {{"1", "有効"},         {"2", "無効"},     {"3", "無効（新しい資格あり）"},
                              {"4", "該当資格なし"}, {"5", "複数該当"}, {"6", "有効（未登録）"}};
constexpr CodeEntry k007[] = {{"1", "男"}, {"2", "女"}, {"3", "未設定"}};
constexpr CodeEntry k008[] = {
    {"01", "死亡"}, {"02", "生活保護受給開始"}, {"03", "医療保険等の資格取得"}, {"99", "その他"}};
constexpr CodeEntry k009[] = {{"1", "本人"}, {"2", "家族"}};
constexpr CodeEntry k010[] = {{"01", "被保険者証（一般）"},     {"02", "被保険者証（退職）"},
                              {"03", "短期被保険者証（一般）"}, {"04", "短期被保険者証（退職）"},
                              {"05", "被保険者資格証明書"},     {"06", "特例退職被保険者証"},
                              {"07", "自衛官診療証"},           {"A1", "医療扶助"}};
constexpr CodeEntry k011[] = {
    {"01", "限度額適用認定証"}, {"02", "限度額適用・標準負担額減額認定証"}, {"03", "標準負担額減額認定証"}};
constexpr CodeEntry k012[] = {{"A01", "ア"},
                              {"A02", "イ"},
                              {"A03", "ウ"},
                              {"A04", "エ"},
                              {"A05", "オ"},
                              {"A06", "オ（境）"},
                              {"B01", "現役並みⅢ"},
                              {"B02", "現役並みⅡ"},
                              {"B03", "現役並みⅠ"},
                              {"B04", "一般"},
                              {"B05", "低所得Ⅱ"},
                              {"B06", "低所得Ⅰ"},
                              {"B07", "低所得Ⅰ（老福）"},
                              {"B08", "低所得Ⅰ（境）"},
                              {"B09", "一般Ⅱ"},
                              {"B10", "一般Ⅰ"}};
constexpr CodeEntry k013[] = {{"1", "人工透析を必要とする慢性腎不全"},
                              {"2", "先天性血液凝固因子障害（第VIII/IX因子）"},
                              {"3", "血液凝固因子製剤起因HIV"}};
constexpr CodeEntry k014[] = {{"0", "変更なし"}, {"1", "変更あり または 判定不能"}};
constexpr CodeEntry k015[] = {{"1", "未就学該当"}};
constexpr CodeEntry k016[] = {{"0", "同意なし"}, {"1", "同意あり"}, {"2", "同意有効期限切れ"}, {"3", "同意取得困難"}};
constexpr CodeEntry k017[] = {{"1", "電子処方箋"}, {"2", "紙の処方箋"}};
constexpr CodeEntry k018[] = {{"01", "医療券"}, {"02", "調剤券"}};
constexpr CodeEntry k019[] = {{"01", "入院"}, {"02", "入院外"}, {"03", "歯科"}, {"04", "調剤"}, {"05", "訪問看護"}};
constexpr CodeEntry k020[] = {{"01", "単独"}, {"02", "併用"}};
constexpr CodeEntry kAriNashi[] = {{"01", "あり"}, {"02", "なし"}};
constexpr CodeEntry k022[] = {{"1", "不整合あり"}};
constexpr CodeEntry k026[] = {{"0", "一致"}, {"1", "不一致"}};
constexpr CodeEntry k027[] = {{"1", "同一個人あり"}};
constexpr CodeEntry k028[] = {{"1", "外来"}, {"2", "訪問診療等"}, {"3", "オンライン診療等"}, {"4", "救急時"}};
constexpr CodeEntry k029[] = {{"TKK", "特定健診情報"}, {"YZK", "薬剤情報等"}};
constexpr CodeEntry k030[] = {{"0", "表示しない"}, {"1", "表示する"}};
constexpr CodeEntry k031[] = {{"0", "診療形態毎の同意有効期限切れ"},
                              {"1", "医療機関による取消"},
                              {"2", "患者による取消"},
                              {"3", "用途変更による取消"}};
constexpr CodeEntry k032[] = {{"0", "一致"}, {"1", "不一致"}};
constexpr CodeEntry k033[] = {{"2", "訪問診療等"}, {"3", "オンライン診療等"}};
constexpr CodeEntry k034[] = {{"1", "PDF形式"}, {"2", "PNG形式"}};
constexpr CodeEntry k035[] = {{"0", "変更しない"}, {"1", "変更する"}};
constexpr CodeEntry k036[] = {{"TSR", "特定疾病"},
                              {"TKK", "特定健診"},
                              {"YZK", "薬剤・処方"},
                              {"SRJ", "診療・アレルギー・検査"},
                              {"SHJ", "手術・傷病名・感染症"}};

constexpr CodeTable kTables[] = {
    {"OQSCD001", "LimitApplicationCertificateRelatedConsFlg", "限度額情報の提供同意", k001},
    {"OQSCD002", "ReferenceClassification", "照会区分", k002},
    {"OQSCD003", "SegmentOfResult", "処理結果区分", k003},
    {"OQSCD004", "ProcessingResultStatus", "処理結果状況", k004},
    {"OQSCD005", "CharacterCodeIdentifier", "文字コード識別", k005},
    {"OQSCD006", "QualificationValidity", "資格有効性", k006},
    {"OQSCD007", "Sex1", "性別", k007},
    {"OQSCD008", "ReasonOfLoss", "資格喪失事由", k008},
    {"OQSCD009", "PersonalFamilyClassification", "本人・家族の別", k009},
    {"OQSCD010", "InsuredCardClassification", "被保険者証区分", k010},
    {"OQSCD011", "LimitApplicationCertificateClassification", "限度額適用認定証区分", k011},
    {"OQSCD012", "LimitApplicationCertificateClassificationFlag", "限度額適用認定証適用区分", k012},
    {"OQSCD013", "SpecificDiseasesDiseaseCategory", "特定疾病区分", k013},
    {"OQSCD014", "LimitApplicationCertificateChanged", "限度額情報変更有無", k014},
    {"OQSCD015", "PreschoolClassification", "未就学区分", k015},
    {"OQSCD016", "SpecificDiseasesCertificateRelatedConsFlg", "同意区分", k016},
    {"OQSCD017", "PrescriptionIssueSelect", "処方箋発行形態", k017},
    {"OQSCD018", "TicketType", "券種", k018},
    {"OQSCD019", "MedicalTreatmentType", "診療別", k019},
    {"OQSCD020", "SingleOrCombinedUse", "単独・併用の別", k020},
    {"OQSCD021", "StatusOfSocialInsurance", "社会保険の有無", kAriNashi},
    {"OQSCD022", "ConsistencyFlag", "不整合フラグ", k022},
    {"OQSCD023", "StatusOfInfecton", "感染症の有無", kAriNashi},
    {"OQSCD024", "StatusOfElderlyMedicalCare", "後期高齢者医療の有無", kAriNashi},
    {"OQSCD025", "StatusOfPrefecturalExpenses", "都道府県費の有無", kAriNashi},
    {"OQSCD026", "DesignatedMedicalInstitutionFlag", "指定医療機関フラグ", k026},
    {"OQSCD027", "", "同一個人有無フラグ", k027},
    {"OQSCD028", "MedicalTreatmentFlag", "診療区分", k028},
    {"OQSCD029", "", "医療情報種別", k029},
    {"OQSCD030", "", "薬剤情報等表示", k030},
    {"OQSCD031", "", "同意有効期限切れ理由", k031},
    {"OQSCD032", "", "資格情報変更確認フラグ", k032},
    {"OQSCD033", "", "URL取得区分", k033},
    {"OQSCD034", "", "出力形式", k034},
    {"OQSCD035", "", "変更区分", k035},
    {"OQSCD036", "", "閲覧同意情報種別", k036},
};

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

std::string_view strip_zeros(std::string_view s) {
    const size_t p = s.find_first_not_of('0');
    return p == std::string_view::npos ? std::string_view("0") : s.substr(p);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

}  // namespace

std::span<const CodeTable> code_tables() { return kTables; }

const CodeTable* code_table(std::string_view id) {
    id = trim(id);
    if (id.starts_with("OQSCD") || id.starts_with("oqscd")) id.remove_prefix(5);
    if (!all_digits(id)) return nullptr;
    const std::string_view n = strip_zeros(id);
    for (const auto& t : kTables)
        if (strip_zeros(t.id.substr(5)) == n) return &t;
    return nullptr;
}

CodeLookup lookup_code(std::string_view table_id, std::string_view code) {
    CodeLookup r;
    code = trim(code);
    const CodeTable* t = code_table(table_id);
    const std::string id = t ? std::string(t->id) : std::string(trim(table_id));
    r.label = "不明なコード（" + id + ": " + std::string(code) + "）";
    if (!t) return r;
    r.known_table = true;
    const CodeEntry* hit = nullptr;
    for (const auto& e : t->entries)
        if (e.code == code) hit = &e;
    if (!hit && all_digits(code))
        for (const auto& e : t->entries)
            if (all_digits(e.code) && strip_zeros(e.code) == strip_zeros(code)) hit = &e;
    if (hit) {
        r.known_code = true;
        r.label = std::string(hit->label);
    }
    return r;
}

std::optional<std::string_view> code_label(std::string_view table_id, std::string_view code) {
    const CodeTable* t = code_table(table_id);
    if (!t) return std::nullopt;
    const CodeLookup l = lookup_code(table_id, code);
    if (!l.known_code) return std::nullopt;
    for (const auto& e : t->entries)
        if (e.label == l.label) return e.label;
    return std::nullopt;
}

}  // namespace onshi::rules
