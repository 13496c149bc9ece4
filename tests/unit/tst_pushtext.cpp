// Push texts: which language a device's locale gets (hostile and malformed values included), the
// translations loaded from the compiled .qm files, plural forms, and each privacy level's wording.
#include <QTest>

#include "dispatch/AppSettings.h"
#include "dispatch/NotificationText.h"
#include "dispatch/PushLanguage.h"
#include "dispatch/PushTranslator.h"
#include "storage/Records.h"

using namespace herald;

Q_DECLARE_METATYPE(herald::PushLanguage)

namespace {

AppSettings app(const QString &name, const QString &privacy)
{
    AppSettings a;
    a.name = name;
    a.privacy = privacy;
    a.kind = name == QLatin1String("mail") ? QStringLiteral("mail") : QStringLiteral("message");
    return a;
}

NotificationRecord mail(const QString &sender, const QString &subject)
{
    NotificationRecord n;
    n.id = QStringLiteral("n-1");
    n.app = QStringLiteral("mail");
    n.sender = sender;
    n.subject = subject;
    n.body = QStringLiteral("The body text");
    return n;
}

} // namespace

class tst_PushText : public QObject
{
    Q_OBJECT
    PushTranslator m_tr;

private slots:
    void localeMatching_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<PushLanguage>("expected");
        const auto T = PushLanguage::TraditionalChinese, S = PushLanguage::SimplifiedChinese, E = PushLanguage::English;
        QTest::newRow("zh_TW") << "zh_TW" << T;
        QTest::newRow("zh_HK") << "zh_HK" << T;
        QTest::newRow("zh_MO") << "zh_MO" << T;
        QTest::newRow("zh-TW bcp47") << "zh-TW" << T;
        QTest::newRow("zh-Hant") << "zh-Hant" << T;
        QTest::newRow("zh-Hant-HK") << "zh-Hant-HK" << T;
        QTest::newRow("zh-Hant-CN script wins") << "zh-Hant-CN" << T;
        QTest::newRow("zh_TW.UTF-8 posix") << "zh_TW.UTF-8" << T;
        QTest::newRow("ZH_hk upper case") << "ZH_hk" << T;
        QTest::newRow("zh") << "zh" << S;
        QTest::newRow("zh_CN") << "zh_CN" << S;
        QTest::newRow("zh-CN") << "zh-CN" << S;
        QTest::newRow("zh_SG") << "zh_SG" << S;
        QTest::newRow("zh-Hans") << "zh-Hans" << S;
        QTest::newRow("zh-Hans-CN") << "zh-Hans-CN" << S;
        QTest::newRow("zh-Hans-HK script wins") << "zh-Hans-HK" << S;
        QTest::newRow("zh_CN.GB18030@stroke") << "zh_CN.GB18030@stroke" << S;
        QTest::newRow("en") << "en" << E;
        QTest::newRow("en_US") << "en_US" << E;
        QTest::newRow("de-DE") << "de-DE" << E;
        QTest::newRow("ja_JP") << "ja_JP" << E;
        QTest::newRow("empty") << "" << E;
        // Hostile or malformed: never Chinese by accident, never a crash.
        QTest::newRow("zha (Zhuang) is not zh") << "zha" << E;
        QTest::newRow("zhx prefix") << "zhx_TW" << E;
        QTest::newRow("zh with trailing separator") << "zh_" << E;
        QTest::newRow("double separator") << "zh--TW" << E;
        QTest::newRow("leading separator") << "_zh_TW" << E;
        QTest::newRow("only a dot") << "." << E;
        QTest::newRow("codeset only") << ".UTF-8" << E;
        QTest::newRow("space") << "zh TW" << E;
        QTest::newRow("newline") << "zh_TW\n" << E;
        QTest::newRow("nul inside") << QString::fromUtf16(u"zh\u0000_TW", 6) << E;
        QTest::newRow("accept-language list") << "zh-TW,zh;q=0.9" << E;
        QTest::newRow("path traversal") << "../../etc/passwd" << E;
        QTest::newRow("format specifiers") << "zh_%1%n" << E;
        QTest::newRow("fullwidth zh") << QString::fromUtf8("ｚｈ_TW") << E;
        QTest::newRow("cyrillic lookalike") << QString::fromUtf8("zһ_TW") << E;
        QTest::newRow("very long") << (QStringLiteral("zh_") + QString(100000, QLatin1Char('T'))) << E;
        QTest::newRow("many subtags") << QString(QStringLiteral("zh-a")).repeated(15) << S;
        QTest::newRow("too long though Chinese") << QString(QStringLiteral("zh-a")).repeated(17) << E;
    }
    void localeMatching()
    {
        QFETCH(QString, locale);
        QFETCH(PushLanguage, expected);
        QCOMPARE(PushLanguages::forLocale(locale), expected);
    }

    void everyLanguageIsCompiledIn()
    {
        for (PushLanguage l : {PushLanguage::English, PushLanguage::SimplifiedChinese, PushLanguage::TraditionalChinese})
            QVERIFY2(m_tr.loaded(l), qPrintable(PushLanguages::code(l)));
    }

    void pluralForms_data()
    {
        QTest::addColumn<PushLanguage>("language");
        QTest::addColumn<int>("n");
        QTest::addColumn<QString>("expected");
        QTest::newRow("en 1") << PushLanguage::English << 1 << "1 new mail";
        QTest::newRow("en 3") << PushLanguage::English << 3 << "3 new mails";
        QTest::newRow("en 0") << PushLanguage::English << 0 << "0 new mails";
        QTest::newRow("en 21") << PushLanguage::English << 21 << "21 new mails";
        QTest::newRow("zh_CN 1") << PushLanguage::SimplifiedChinese << 1 << QString::fromUtf8("1 封新邮件");
        QTest::newRow("zh_CN 3") << PushLanguage::SimplifiedChinese << 3 << QString::fromUtf8("3 封新邮件");
        QTest::newRow("zh_TW 3") << PushLanguage::TraditionalChinese << 3 << QString::fromUtf8("3 封新郵件");
        QTest::newRow("zh_TW 1000") << PushLanguage::TraditionalChinese << 1000 << QString::fromUtf8("1000 封新郵件");
    }
    void pluralForms()
    {
        QFETCH(PushLanguage, language);
        QFETCH(int, n);
        QFETCH(QString, expected);
        QCOMPARE(m_tr.text(language, "NotificationText", "%n new mail(s)", n), expected);
    }

    void unknownMessageFallsBackToSource()
    {
        QCOMPARE(m_tr.text(PushLanguage::TraditionalChinese, "NotificationText", "Not a known text %n", 2),
                 QStringLiteral("Not a known text 2"));
    }

    void singleTextPerLevel_data()
    {
        QTest::addColumn<QString>("privacy");
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("body");
        QTest::addColumn<bool>("contentFree");
        QTest::newRow("full") << "full" << "en" << "Alice" << "Lunch?" << false;
        QTest::newRow("summary en") << "summary" << "en_GB" << "" << "New mail from Alice" << false;
        QTest::newRow("summary zh_CN") << "summary" << "zh_CN" << "" << QString::fromUtf8("收到来自 Alice 的新邮件") << false;
        QTest::newRow("summary zh_TW") << "summary" << "zh-Hant-TW" << "" << QString::fromUtf8("收到來自 Alice 的新郵件") << false;
        QTest::newRow("generic en") << "generic" << "en" << "" << "You have a new message" << false;
        QTest::newRow("generic zh_CN") << "generic" << "zh" << "" << QString::fromUtf8("您有一条新信息") << false;
        QTest::newRow("generic zh_TW") << "generic" << "zh_HK" << "" << QString::fromUtf8("您有一則新訊息") << false;
        QTest::newRow("none") << "none" << "zh_TW" << "" << "" << true;
    }
    void singleTextPerLevel()
    {
        QFETCH(QString, privacy);
        QFETCH(QString, locale);
        QFETCH(QString, title);
        QFETCH(QString, body);
        QFETCH(bool, contentFree);
        const NotificationText t = NotificationText::forPush(mail(QStringLiteral("Alice"), QStringLiteral("Lunch?")),
                                                             app(QStringLiteral("mail"), privacy),
                                                             PushLanguages::forLocale(locale), m_tr);
        QCOMPARE(t.title, title);
        QCOMPARE(t.body, body);
        QCOMPARE(t.contentFree, contentFree);
    }

    void senderIsNotAFormatString()
    {
        const NotificationText t = NotificationText::forPush(mail(QStringLiteral("%1 %2 %n"), QString()),
                                                             app(QStringLiteral("mail"), QStringLiteral("summary")),
                                                             PushLanguage::English, m_tr);
        QCOMPARE(t.body, QStringLiteral("New mail from %1 %2 %n"));
        NotificationText::Burst b{4, {QStringLiteral("%2"), QStringLiteral("%n"), QStringLiteral("%1")}};
        const NotificationText g = NotificationText::forBurst(b, mail(QStringLiteral("%2"), QString()),
                                                              app(QStringLiteral("mail"), QStringLiteral("summary")),
                                                              PushLanguage::English, m_tr);
        QCOMPARE(g.body, QStringLiteral("4 new mails — %2, %n and 1 other"));
    }

    void burstTextPerLevel_data()
    {
        QTest::addColumn<QString>("privacy");
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QStringList>("senders");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("body");
        const QStringList five{"Alice", "Bob", "Carol", "Dave", "Erin"};
        QTest::newRow("summary en 5") << "summary" << "en" << five << "" << QString::fromUtf8("5 new mails — Alice, Bob and 3 others");
        QTest::newRow("summary en 3 senders") << "summary" << "en" << QStringList{"Alice", "Bob", "Carol"} << ""
                                              << QString::fromUtf8("5 new mails — Alice, Bob and 1 other");
        QTest::newRow("summary en 2 senders") << "summary" << "en" << QStringList{"Alice", "Bob"} << ""
                                              << QString::fromUtf8("5 new mails — Alice and Bob");
        QTest::newRow("summary en 1 sender") << "summary" << "en" << QStringList{"Alice"} << ""
                                             << QString::fromUtf8("5 new mails — Alice");
        QTest::newRow("summary en no sender") << "summary" << "en" << QStringList{} << "" << "5 new mails";
        QTest::newRow("summary zh_CN") << "summary" << "zh_CN" << five << ""
                                       << QString::fromUtf8("5 封新邮件 — Alice、Bob 和另外 3 人");
        QTest::newRow("summary zh_TW") << "summary" << "zh_TW" << five << ""
                                       << QString::fromUtf8("5 封新郵件 — Alice、Bob 和另外 3 人");
        QTest::newRow("full en") << "full" << "en" << five << QString::fromUtf8("5 new mails — Alice, Bob and 3 others")
                                 << "Lunch?";
        QTest::newRow("generic en") << "generic" << "en" << five << "" << "5 new mails";
        QTest::newRow("generic zh_TW") << "generic" << "zh_TW" << five << "" << QString::fromUtf8("5 封新郵件");
        QTest::newRow("none") << "none" << "en" << five << "" << "";
    }
    void burstTextPerLevel()
    {
        QFETCH(QString, privacy);
        QFETCH(QString, locale);
        QFETCH(QStringList, senders);
        QFETCH(QString, title);
        QFETCH(QString, body);
        const NotificationText t = NotificationText::forBurst({5, senders}, mail(QStringLiteral("Alice"), QStringLiteral("Lunch?")),
                                                              app(QStringLiteral("mail"), privacy),
                                                              PushLanguages::forLocale(locale), m_tr);
        QCOMPARE(t.title, title);
        QCOMPARE(t.body, body);
        QCOMPARE(t.contentFree, privacy == QLatin1String("none"));
    }

    void messagesAppCountsMessages()
    {
        const NotificationText t = NotificationText::forBurst({2, {QStringLiteral("Bob")}}, mail(QStringLiteral("Bob"), {}),
                                                              app(QStringLiteral("chat"), QStringLiteral("generic")),
                                                              PushLanguage::SimplifiedChinese, m_tr);
        QCOMPARE(t.body, QString::fromUtf8("2 条新信息"));
        const NotificationText one = NotificationText::forBurst({1, {QStringLiteral("Bob")}}, mail(QStringLiteral("Bob"), {}),
                                                                app(QStringLiteral("chat"), QStringLiteral("summary")),
                                                                PushLanguage::English, m_tr);
        QCOMPARE(one.body, QStringLiteral("New message from Bob"));
    }
};

QTEST_GUILESS_MAIN(tst_PushText)
#include "tst_pushtext.moc"
