#pragma once

#include "http/HttpResponse.h"
#include "push/Provider.h"
#include "storage/RecordStates.h"
#include "storage/Records.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace herald {

class Dispatcher;
class ProviderRegistry;
class Storage;

// Waits for the verdict on one test push the Dispatcher is delivering: the ack of an in-band
// delivery, or the provider's answer to the push (after an ack timeout too), or the Dispatcher
// finishing it without a provider. Hands the answer of POST /admin/v1/test-push to `answer` once,
// then deletes itself; after `boundMs` without a verdict the answer is 504 `timeout`.
class TestPushRun : public QObject
{
    Q_OBJECT
public:
    TestPushRun(Storage &storage, Dispatcher &dispatcher, const ProviderRegistry &providers, QString deliveryId,
                QString notificationId, int boundMs, std::function<void(const HttpResponse &)> answer,
                QObject *parent = nullptr);

private:
    void onProviderFinished(Provider *provider, const PushResult &result);
    void onDeliveryFinished(const QString &deliveryId, DeliveryState state);
    struct Look
    {
        std::optional<DeliveryRecord> delivery;
        QList<DeliveryAttemptRecord> attempts;
    };
    // Reads the delivery and its attempts off the event loop, then `then` (unless concluded meanwhile).
    void lookThen(std::function<void(const Look &)> then);
    void concludeFinished(DeliveryState state, const Look &look);
    void onTimeout();
    // The in-band part of the verdict when the delivery went in-band first, else an empty object.
    QJsonObject inBandAttempt(const QList<DeliveryAttemptRecord> &attempts) const;
    void conclude(const HttpResponse &response);

    Storage &m_storage;
    Dispatcher &m_dispatcher;
    QString m_deliveryId;
    QString m_notificationId;
    std::function<void(const HttpResponse &)> m_answer;
    QElapsedTimer m_clock;
    QTimer m_bound;
    qint64 m_ackWaitMs = -1; // how long the in-band attempt waited for its ack, when there was one
    bool m_done = false;
    bool m_providerAnswered = false; // its verdict is the answer; the rest is being read
};

} // namespace herald
