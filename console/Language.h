#pragma once

#include <QObject>
#include <QStringList>
#include <QTranslator>

namespace herald {

// The console's language, switchable while it runs: installs the console's and Qt's own
// translations for "en" or "zh_CN" (Qt then sends every widget a LanguageChange event, and each
// page sets its texts again) and remembers the choice in QSettings.
class Language : public QObject
{
    Q_OBJECT
public:
    explicit Language(QObject *parent = nullptr);

    static QStringList available() { return {QStringLiteral("en"), QStringLiteral("zh_CN")}; }
    // The language's own name, as shown in the menu whatever the current language is.
    static QString nativeName(const QString &code);

    // The remembered choice, else the system's language if the console has it, else English.
    void applySaved();
    bool apply(const QString &code);
    QString current() const { return m_current; }

signals:
    void changed(const QString &code);

private:
    QTranslator m_console;
    QTranslator m_qt;
    QString m_current;
};

} // namespace herald
