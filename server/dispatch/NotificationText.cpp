#include "dispatch/NotificationText.h"

#include "dispatch/AppSettings.h"
#include "dispatch/PushTranslator.h"
#include "storage/Records.h"

#include <QtGlobal>

namespace herald {
namespace {

constexpr const char Context[] = "NotificationText";

// Every push text. lupdate finds them through the macros; PushTranslator looks them up at run time.
constexpr const char *NewMailFrom = QT_TRANSLATE_NOOP("NotificationText", "New mail from %1");
constexpr const char *NewMessageFrom = QT_TRANSLATE_NOOP("NotificationText", "New message from %1");
constexpr const char *YouHaveNewMail = QT_TRANSLATE_NOOP("NotificationText", "You have new mail");
constexpr const char *YouHaveNewMessage = QT_TRANSLATE_NOOP("NotificationText", "You have a new message");
constexpr const char *NewMails = QT_TRANSLATE_N_NOOP("NotificationText", "%n new mail(s)");
constexpr const char *NewMessages = QT_TRANSLATE_N_NOOP("NotificationText", "%n new message(s)");
constexpr const char *TwoNames = QT_TRANSLATE_NOOP("NotificationText", "%1 and %2");
constexpr const char *TwoNamesAndOthers = QT_TRANSLATE_N_NOOP("NotificationText", "%1, %2 and %n other(s)");
constexpr const char *CountAndNames = QT_TRANSLATE_NOOP("NotificationText", "%1 — %2");

// A sender's name goes into a text as one argument: a "%1" inside it must stay literal.
QString fill(const QString &pattern, const QString &a)
{
    return pattern.arg(a);
}

QString fill(const QString &pattern, const QString &a, const QString &b)
{
    return pattern.arg(a, b);
}

QString summary(const AppSettings &app, const QString &sender, PushLanguage lang, const PushTranslator &tr)
{
    const bool mail = app.kind == QLatin1String("mail");
    if (sender.isEmpty())
        return tr.text(lang, Context, mail ? YouHaveNewMail : YouHaveNewMessage);
    return fill(tr.text(lang, Context, mail ? NewMailFrom : NewMessageFrom), sender);
}

QString names(const QStringList &senders, PushLanguage lang, const PushTranslator &tr)
{
    switch (senders.size()) {
    case 0: return {};
    case 1: return senders.first();
    case 2: return fill(tr.text(lang, Context, TwoNames), senders.at(0), senders.at(1));
    default:
        return fill(tr.text(lang, Context, TwoNamesAndOthers, int(senders.size() - 2)), senders.at(0), senders.at(1));
    }
}

} // namespace

NotificationText NotificationText::forPush(const NotificationRecord &n, const AppSettings &app, PushLanguage language,
                                           const PushTranslator &translator)
{
    NotificationText t;
    if (app.privacy == QLatin1String("full")) {
        t.title = n.sender.isEmpty() ? app.name : n.sender;
        t.body = n.subject.isEmpty() ? n.body.left(200) : n.subject;
        if (t.body.isEmpty())
            t.body = summary(app, n.sender, language, translator);
    } else if (app.privacy == QLatin1String("summary")) {
        t.body = summary(app, n.sender, language, translator);
    } else if (app.privacy == QLatin1String("generic")) {
        t.body = translator.text(language, Context, YouHaveNewMessage);
    } else {
        t.contentFree = true;
    }
    return t;
}

NotificationText NotificationText::forBurst(const Burst &burst, const NotificationRecord &latest,
                                            const AppSettings &app, PushLanguage language,
                                            const PushTranslator &translator)
{
    if (burst.count <= 1)
        return forPush(latest, app, language, translator);
    NotificationText t;
    const bool mail = app.kind == QLatin1String("mail");
    const QString count = translator.text(language, Context, mail ? NewMails : NewMessages, burst.count);
    const QString who = names(burst.senders, language, translator);
    const QString countAndNames = who.isEmpty() ? count : fill(translator.text(language, Context, CountAndNames), count, who);
    if (app.privacy == QLatin1String("full")) {
        t.title = countAndNames;
        t.body = latest.subject.isEmpty() ? latest.body.left(200) : latest.subject;
    } else if (app.privacy == QLatin1String("summary")) {
        t.body = countAndNames;
    } else if (app.privacy == QLatin1String("generic")) {
        t.body = count;
    } else {
        t.contentFree = true;
    }
    return t;
}

} // namespace herald
