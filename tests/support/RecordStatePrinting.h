#pragma once

#include "storage/RecordStates.h"

#include <QByteArray>

// QCOMPARE on the storage enums prints their stored text ("delivered"), not a bare number: QTest
// looks toString(T) up by argument-dependent lookup and frees the char * it returns (delete[]).
// Kept out of RecordStates.h, which has no business knowing QTest's conventions.
namespace herald {

inline char *toString(DeliveryState v)
{
    return qstrdup(toText(v).toUtf8().constData());
}
inline char *toString(DeliveryChannel v)
{
    return qstrdup(("'" + toText(v) + "'").toUtf8().constData());
}
inline char *toString(AttemptChannel v)
{
    return qstrdup(toText(v).toUtf8().constData());
}
inline char *toString(NotificationState v)
{
    return qstrdup(toText(v).toUtf8().constData());
}
inline char *toString(PushTokenState v)
{
    return qstrdup(toText(v).toUtf8().constData());
}

} // namespace herald
