#pragma once

#include "dispatch/PushLanguage.h"

#include <QString>
#include <QStringList>

namespace herald {

struct AppSettings;
struct NotificationRecord;
class PushTranslator;

// What a push may say, cut to the app's privacy level and put in the device's language:
// full (sender and subject), summary ("New mail from Alice"), generic ("You have a new message"),
// none (nothing: the client fetches the content over the authenticated channel).
// The texts themselves live in translations/herald_server_*.ts (context "NotificationText").
struct NotificationText
{
    QString title;
    QString body;
    bool contentFree = false;

    static NotificationText forPush(const NotificationRecord &n, const AppSettings &app, PushLanguage language,
                                    const PushTranslator &translator);

    // Several notifications of one app shown as one ("5 new mails — Alice, Bob and 3 others").
    struct Burst
    {
        int count = 0;
        QStringList senders; // distinct, newest first; empty senders left out
    };
    // `latest` is the newest notification of the burst (its subject is what `full` shows).
    static NotificationText forBurst(const Burst &burst, const NotificationRecord &latest, const AppSettings &app,
                                     PushLanguage language, const PushTranslator &translator);
};

} // namespace herald
