#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QUuid>

#include "push/Provider.h"

namespace herald::standin {

// Feeds messages to a Provider the way the outbox will — only while canAccept(), resuming on
// readyForMore() — and collects every finished() result, counting duplicates.
class PushTestHarness : public QObject
{
    Q_OBJECT
public:
    explicit PushTestHarness(Provider *provider, QObject *parent = nullptr)
        : QObject(parent), m_provider(provider)
    {
        connect(provider, &Provider::finished, this, [this](const PushResult &r) {
            if (m_results.contains(r.deliveryId))
                ++m_duplicates;
            m_results.insert(r.deliveryId, r);
            ++m_finishedCount;
        });
        connect(provider, &Provider::readyForMore, this, &PushTestHarness::feed);
    }

    static PushMessage message(const QString &deviceToken, const QString &title = QStringLiteral("Hello"),
                               const QString &body = QStringLiteral("New mail"))
    {
        PushMessage m;
        m.deliveryId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m.notificationId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m.platform = QStringLiteral("ios");
        m.pushToken = deviceToken;
        m.title = title;
        m.body = body;
        m.uri = QStringLiteral("herald://open/") + m.notificationId;
        return m;
    }

    void enqueue(const QList<PushMessage> &messages)
    {
        m_pending += messages;
        m_expected += int(messages.size());
        feed();
    }
    void feed()
    {
        while (!m_pending.isEmpty() && m_provider->canAccept()) {
            ++m_sent;
            m_provider->send(m_pending.takeFirst());
        }
    }

    bool done() const { return m_finishedCount >= m_expected && m_pending.isEmpty(); }
    int finishedCount() const { return m_finishedCount; }
    int duplicates() const { return m_duplicates; }
    int backPressureStops() const { return m_sent < m_expected ? 1 : 0; }
    const QHash<QString, PushResult> &results() const { return m_results; }
    int count(PushResult::Outcome outcome) const
    {
        int n = 0;
        for (const auto &r : m_results)
            n += r.outcome == outcome ? 1 : 0;
        return n;
    }

private:
    Provider *m_provider;
    QList<PushMessage> m_pending;
    QHash<QString, PushResult> m_results;
    int m_expected = 0;
    int m_sent = 0;
    int m_finishedCount = 0;
    int m_duplicates = 0;
};

} // namespace herald::standin
