#pragma once

#include <QString>

namespace herald {

// The languages push texts exist in (translations/herald_server_*.ts), and which one a device's
// locale gets. Devices report locales in every shape (POSIX "zh_TW.UTF-8", BCP 47 "zh-Hant-HK",
// bare "zh"); anything that is not recognisably Chinese, or not a well-formed locale at all, is
// English, so a hostile or broken value can only cost the device its language, never a push.
enum class PushLanguage {
    English,
    SimplifiedChinese,
    TraditionalChinese,
};

namespace PushLanguages {

constexpr int Count = 3;

// zh_TW, zh_HK, zh_MO, zh-Hant-* → Traditional; zh, zh_CN, zh_SG, zh-Hans-* → Simplified;
// everything else (including malformed values) → English.
PushLanguage forLocale(const QString &locale);
// The suffix of its translation file: "en", "zh_CN", "zh_TW".
QString code(PushLanguage language);

} // namespace PushLanguages
} // namespace herald
