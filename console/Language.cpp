#include "Language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>

namespace herald {
namespace {
const QString SettingsKey = QStringLiteral("language");
}

Language::Language(QObject *parent)
    : QObject(parent)
{
}

QString Language::nativeName(const QString &code)
{
    return code == QLatin1String("zh_CN") ? QStringLiteral("简体中文") : QStringLiteral("English");
}

void Language::applySaved()
{
    QString code = QSettings().value(SettingsKey).toString();
    if (!available().contains(code))
        code = QLocale().name().startsWith(QLatin1String("zh")) ? QStringLiteral("zh_CN") : QStringLiteral("en");
    apply(code);
}

bool Language::apply(const QString &code)
{
    if (!available().contains(code))
        return false;
    QCoreApplication::removeTranslator(&m_console);
    QCoreApplication::removeTranslator(&m_qt);
    // Each install sends LanguageChange to every widget; the pages retranslate themselves then.
    if (m_console.load(QStringLiteral("herald_console_") + code, QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&m_console);
    if (m_qt.load(QStringLiteral("qtbase_") + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&m_qt);
    m_current = code;
    // Dates and numbers follow the language too (the pages read QLocale() when they format).
    QLocale::setDefault(QLocale(code));
    QSettings().setValue(SettingsKey, code);
    emit changed(code);
    return true;
}

} // namespace herald
