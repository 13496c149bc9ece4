#pragma once

#include <QString>

namespace herald {

struct AppSettings;
struct NotificationRecord;

// What a push may say, cut to the app's privacy level and put in the device's language:
// full (sender and subject), summary ("New mail from Alice"), generic ("You have a new message"),
// none (nothing: the client fetches the content over the authenticated channel).
struct NotificationText
{
    QString title;
    QString body;
    bool contentFree = false;

    static NotificationText forPush(const NotificationRecord &n, const AppSettings &app, const QString &locale);
};

} // namespace herald
