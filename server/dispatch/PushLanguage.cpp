#include "dispatch/PushLanguage.h"

#include <QStringList>

namespace herald::PushLanguages {
namespace {

// Longer than any real locale (RegistrationApi allows 35 characters); older rows or other paths
// may hold anything, and nothing longer is worth splitting.
constexpr int MaxLocaleLength = 64;

bool wellFormed(QStringView locale)
{
    if (locale.isEmpty() || locale.size() > MaxLocaleLength)
        return false;
    for (QChar c : locale) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
                        u == u'-' || u == u'_';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

PushLanguage forLocale(const QString &locale)
{
    // POSIX locales carry a codeset and a modifier ("zh_TW.UTF-8@stroke"): not part of the language.
    QStringView tag(locale);
    const qsizetype cut = [&] {
        for (qsizetype i = 0; i < tag.size(); ++i) {
            if (tag.at(i) == u'.' || tag.at(i) == u'@')
                return i;
        }
        return tag.size();
    }();
    tag = tag.left(cut);
    if (!wellFormed(tag))
        return PushLanguage::English;
    const QStringList parts = tag.toString().toLower().replace(u'_', u'-').split(u'-');
    if (parts.first() != QLatin1String("zh"))
        return PushLanguage::English;
    // The script subtag decides when present (zh-Hant-CN is still Traditional); else the region.
    for (const QString &part : parts.mid(1)) {
        if (part.isEmpty())
            return PushLanguage::English; // "zh--TW", "zh_": not a locale
        if (part == QLatin1String("hant"))
            return PushLanguage::TraditionalChinese;
        if (part == QLatin1String("hans"))
            return PushLanguage::SimplifiedChinese;
    }
    for (const QString &part : parts.mid(1)) {
        if (part == QLatin1String("tw") || part == QLatin1String("hk") || part == QLatin1String("mo"))
            return PushLanguage::TraditionalChinese;
    }
    return PushLanguage::SimplifiedChinese;
}

QString code(PushLanguage language)
{
    switch (language) {
    case PushLanguage::English: return QStringLiteral("en");
    case PushLanguage::SimplifiedChinese: return QStringLiteral("zh_CN");
    case PushLanguage::TraditionalChinese: return QStringLiteral("zh_TW");
    }
    return QStringLiteral("en");
}

} // namespace herald::PushLanguages
