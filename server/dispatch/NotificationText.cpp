#include "dispatch/NotificationText.h"

#include "dispatch/AppSettings.h"
#include "storage/Records.h"

namespace herald {
namespace {

bool chinese(const QString &locale)
{
    return locale.startsWith(QLatin1String("zh"), Qt::CaseInsensitive);
}

QString summary(const AppSettings &app, const QString &sender, bool zh)
{
    const bool mail = app.kind == QLatin1String("mail");
    if (sender.isEmpty())
        return zh ? (mail ? QStringLiteral("您有一封新邮件") : QStringLiteral("您有一条新信息"))
                  : (mail ? QStringLiteral("You have new mail") : QStringLiteral("You have a new message"));
    if (zh)
        return mail ? QStringLiteral("收到来自 %1 的新邮件").arg(sender) : QStringLiteral("收到来自 %1 的新信息").arg(sender);
    return mail ? QStringLiteral("New mail from %1").arg(sender) : QStringLiteral("New message from %1").arg(sender);
}

} // namespace

NotificationText NotificationText::forPush(const NotificationRecord &n, const AppSettings &app, const QString &locale)
{
    const bool zh = chinese(locale);
    NotificationText t;
    if (app.privacy == QLatin1String("full")) {
        t.title = n.sender.isEmpty() ? app.name : n.sender;
        t.body = n.subject.isEmpty() ? n.body.left(200) : n.subject;
        if (t.body.isEmpty())
            t.body = summary(app, n.sender, zh);
    } else if (app.privacy == QLatin1String("summary")) {
        t.body = summary(app, n.sender, zh);
    } else if (app.privacy == QLatin1String("generic")) {
        t.body = zh ? QStringLiteral("您有一条新信息") : QStringLiteral("You have a new message");
    } else {
        t.contentFree = true;
    }
    return t;
}

} // namespace herald
