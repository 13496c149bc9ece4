#pragma once

#include "http/HttpResponse.h"
#include "storage/Records.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <optional>

namespace herald {

class AdminSessions;
struct AdminChangeResult;
class AppCatalog;
class AuditLog;
class Dispatcher;
class Router;
class Storage;
struct HttpRequest;

// The outbox as the console sees it: GET /admin/v1/notifications (paged, by state, user and app)
// and /notifications/{id} with the attempt history; POST /admin/v1/deliveries/{id}/retry and
// /cancel. Reads are open to helpdesk; the two actions need the admin role and are audited in the
// transaction that makes the change. What a notification says is shown only as far as its app's
// privacy level lets a push say it: sender at full and summary, subject at full only.
class AdminNotificationsApi : public QObject
{
    Q_OBJECT
public:
    AdminNotificationsApi(Storage &storage, AdminSessions &sessions, AuditLog &audit, Dispatcher &dispatcher,
                          const AppCatalog &apps, QObject *parent = nullptr);
    void registerRoutes(Router &router);

private:
    HttpResponse listNotifications(const HttpRequest &request);
    HttpResponse showNotification(const HttpRequest &request);
    HttpResponse retryDelivery(const HttpRequest &request);
    HttpResponse cancelDelivery(const HttpRequest &request);

    // The delivery named by the path, or the 400/404 to answer.
    static bool validDeliveryId(const QString &id, HttpResponse *failure);
    // Retry and cancel: `decide` (on the background writer, given the session's operator) checks the
    // delivery and changes it, or sets a refusal; `changed` tells the dispatcher on the event loop
    // once that is committed.
    HttpResponse changeDelivery(const HttpRequest &request, const QString &action,
                                std::function<bool(DeliveryRecord &, const NotificationRecord &, const QString &operatorName,
                                                   AdminChangeResult &)>
                                    decide,
                                std::function<void(const DeliveryRecord &)> changed);
    // What one notification's JSON shows beyond its row: account, deliveries, their attempts and devices.
    struct Detail;
    // Read on whichever Storage is given (a reading connection, or the event loop's after a change).
    // nullopt: storage failed.
    static std::optional<QList<Detail>> readDetails(Storage &storage, const QList<NotificationRecord> &rows);
    // N of docs/protocol.md; with `attempts`, the history of every delivery too.
    QJsonObject notificationJson(const Detail &detail, bool attempts) const;

    Storage &m_storage;
    AdminSessions &m_sessions;
    AuditLog &m_audit;
    Dispatcher &m_dispatcher;
    const AppCatalog &m_apps;
};

} // namespace herald
