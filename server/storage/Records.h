#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace herald {

// Plain rows as the rest of the server sees them; no SQL types leak past Storage.

struct AccountRecord
{
    qint64 id = 0;
    QString name;
    QString passwordHash;
    bool disabled = false;
    QDateTime createdAt;
};

struct OperatorRecord
{
    qint64 id = 0;
    QString name;
    QString passwordHash;
    QString role; // "admin" | "helpdesk"
    bool disabled = false;
    QDateTime createdAt;
};

struct DeviceRecord
{
    qint64 id = 0; // storage row id
    qint64 accountId = 0;
    QString deviceId; // the terminal's own id
    QString platform; // ios | android | web | desktop
    QString pushToken;
    QString pushTopic;
    QString locale;
    QString name;
    QByteArray tokenHash; // SHA-256 of the bearer deviceToken
    QString pushTokenState = QStringLiteral("active"); // active | retired
    QString pushTokenRetiredReason;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime lastSeen;
    QStringList apps;
};

struct LoginRecord
{
    qint64 accountId = 0;
    QString app;
    QByteArray credentials; // encrypted at rest; empty when the monitor needs none
    QDateTime loggedInAt;
    QByteArray checkpoint;
    QString monitorState;
    QString monitorError;
};

} // namespace herald
