#include "dispatch/EncryptedPush.h"

#include "dispatch/AppSettings.h"
#include "dispatch/DispatchLog.h"
#include "dispatch/NotificationText.h"
#include "push/Provider.h"
#include "push/SealedContent.h"
#include "storage/Records.h"

namespace herald {

void EncryptedPush::apply(PushMessage &message, const NotificationRecord &n, const AppSettings &app,
                          const DeviceRecord &device, PushLanguage language, const PushTranslator &translator)
{
    message.uri = AppSettings::opaqueUri(n.id);
    message.sealed.clear();
    AppSettings outer = app; // what the push shows outside the blob
    if (device.hasPushKey()) {
        PushContent content;
        content.notificationId = n.id;
        content.app = n.app;
        content.sender = n.sender;
        content.subject = n.subject;
        content.excerpt = n.body;
        content.uri = app.uriFor(n.id);
        content.createdAt = n.createdAt;
        QString error;
        const auto blob = SealedContent::seal(content, device.pushKeyP256dh, device.pushKeyAuth,
                                              SealedContent::maxBlobBytesFor(device.platform), &error);
        if (blob) {
            message.sealed = *blob;
            outer.privacy = QStringLiteral("generic");
        } else {
            // Registration validated the key, so this is not expected; the push still goes, empty.
            qCWarning(lcDispatch) << "could not seal notification" << n.id << "for device" << device.deviceId
                                  << ":" << error;
        }
    }
    if (message.sealed.isEmpty())
        outer.privacy = QStringLiteral("none");
    const NotificationText text = NotificationText::forPush(n, outer, language, translator);
    message.title = text.title;
    message.body = text.body;
    message.contentAvailable = text.contentFree;
    message.highPriority = !text.contentFree;
}

} // namespace herald
