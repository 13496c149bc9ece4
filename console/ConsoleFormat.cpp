#include "ConsoleFormat.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHeaderView>
#include <QJsonObject>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QTableView>

namespace herald::ConsoleFormat {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("herald::ConsoleFormat", text);
}
} // namespace

QString dateTime(const QJsonValue &value)
{
    const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!t.isValid())
        return QStringLiteral("—");
    return QLocale().toString(t.toLocalTime(), QLocale::ShortFormat);
}

qint64 sortTime(const QJsonValue &value)
{
    const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

QString presence(const QString &state)
{
    if (state == QLatin1String("foreground"))
        return QCoreApplication::translate("herald::ConsoleFormat", "foreground");
    if (state == QLatin1String("background"))
        return QCoreApplication::translate("herald::ConsoleFormat", "background");
    if (state == QLatin1String("closed"))
        return QCoreApplication::translate("herald::ConsoleFormat", "closed");
    if (state == QLatin1String("online"))
        return QCoreApplication::translate("herald::ConsoleFormat", "online");
    if (state == QLatin1String("offline"))
        return QCoreApplication::translate("herald::ConsoleFormat", "offline");
    if (state == QLatin1String("disconnected"))
        return QCoreApplication::translate("herald::ConsoleFormat", "disconnected");
    return state;
}

QIcon presenceIcon(const QString &state)
{
    // Green: on screen; amber: running behind; blue: connected; red: failed; grey: closed or away.
    QColor colour(0x9e, 0x9e, 0x9e);
    if (state == QLatin1String("failed"))
        colour = QColor(0xe5, 0x48, 0x4d);
    else if (state == QLatin1String("foreground"))
        colour = QColor(0x2e, 0xb8, 0x4b);
    else if (state == QLatin1String("background"))
        colour = QColor(0xf0, 0xa2, 0x02);
    else if (state == QLatin1String("online"))
        colour = QColor(0x2f, 0x80, 0xed);
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(colour.darker(130), 1));
    painter.setBrush(colour);
    painter.drawEllipse(QRectF(2.5, 2.5, 11, 11));
    return QIcon(pixmap);
}

QString state(const QString &state)
{
    static const char *const known[][2] = {
        {"pending", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "pending")},
        {"delivered", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "delivered")},
        {"failed", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "failed")},
        {"opened", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "opened")},
        {"cancelled", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "cancelled")},
        {"sending", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "sending")},
        {"inband", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "waiting for the ack")},
        {"push", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "with the push provider")},
        {"retry", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "retrying")},
        {"suppressed", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "suppressed")},
        {"test", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "test")},
        {"sent", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "sent")},
        {"expired", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "expired")},
        {"active", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "active")},
        {"retired", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "retired")},
        {"watching", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "watching")},
        {"starting", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "starting")},
        {"failing", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "failing")},
        {"stopped", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "stopped")},
        {"ok", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "ok")},
        {"alarm", QT_TRANSLATE_NOOP("herald::ConsoleFormat", "alarm")},
    };
    for (const auto &pair : known) {
        if (state == QLatin1String(pair[0]))
            return tr(pair[1]);
    }
    return state;
}

QString channel(const QJsonValue &channel)
{
    const QString c = channel.toString();
    if (c == QLatin1String("in-band"))
        return QCoreApplication::translate("herald::ConsoleFormat", "in-band");
    if (c == QLatin1String("push"))
        return QCoreApplication::translate("herald::ConsoleFormat", "push");
    if (c == QLatin1String("both"))
        return QCoreApplication::translate("herald::ConsoleFormat", "in-band, then push");
    if (c == QLatin1String("seen-in-app"))
        return QCoreApplication::translate("herald::ConsoleFormat", "seen in the remote app");
    return c.isEmpty() ? QStringLiteral("—") : c;
}

QString role(const QString &role)
{
    return role == QLatin1String("admin") ? QCoreApplication::translate("herald::ConsoleFormat", "Administrator")
                                          : QCoreApplication::translate("herald::ConsoleFormat", "Helpdesk");
}

QString gatewayReports(const QJsonValue &gateway)
{
    const QJsonObject apps = gateway.toObject();
    QStringList parts;
    for (auto it = apps.begin(); it != apps.end(); ++it) {
        const QJsonObject report = it.value().toObject();
        const QString ui = presence(report.value(QStringLiteral("ui")).toString());
        parts << (report.value(QStringLiteral("scope")).toString() == QLatin1String("account")
                      ? QCoreApplication::translate("herald::ConsoleFormat", "%1: %2 (whole account)").arg(it.key(), ui)
                      : QCoreApplication::translate("herald::ConsoleFormat", "%1: %2").arg(it.key(), ui));
    }
    return parts.isEmpty() ? QStringLiteral("—") : parts.join(QStringLiteral(", "));
}

QString gatewayTooltip(const QJsonValue &gateway)
{
    const QJsonObject apps = gateway.toObject();
    QStringList lines;
    for (auto it = apps.begin(); it != apps.end(); ++it) {
        const QJsonObject report = it.value().toObject();
        QString line = QCoreApplication::translate("herald::ConsoleFormat", "%1: reported %2 at %3, holds until %4")
                           .arg(it.key(), presence(report.value(QStringLiteral("ui")).toString()),
                                dateTime(report.value(QStringLiteral("at"))),
                                dateTime(report.value(QStringLiteral("expiresAt"))));
        line += QLatin1Char(' ');
        line += report.value(QStringLiteral("decides")).toBool()
                    ? QCoreApplication::translate("herald::ConsoleFormat", "(decides deliveries to this device)")
                    : QCoreApplication::translate("herald::ConsoleFormat", "(the device's own state decides)");
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

void prepareView(QTableView *view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->setVisible(false);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->setAlternatingRowColors(true);
    view->setSortingEnabled(true);
    view->setWordWrap(false);
}

} // namespace herald::ConsoleFormat
