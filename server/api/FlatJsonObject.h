#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QVarLengthArray>

namespace herald {

// A request body that is one JSON object of string (or null) members — every POST /v1/events —
// read straight from its bytes. QJsonDocument builds a CBOR container and then a QJsonObject over
// it, a tenth of the server's work per event; this reads the same members in a fraction of that.
//
// It is a fast path, never a second opinion: parse() accepts only what it is sure QJsonDocument
// reads the same way (ASCII member names; string values of printable ASCII, well-formed UTF-8 and
// the standard escapes; no nested values, numbers, booleans, repeated names or raw byte-order
// marks) and returns false for everything else, valid or not. The caller then parses with QJsonDocument, which also words any error.
// tests/unit/tst_flatjson.cpp checks the two agree on every input either accepts.
class FlatJsonObject
{
public:
    static constexpr int kMaxMembers = 16; // more: not the shape this is for

    struct Member
    {
        QString name;
        QString value; // empty when null
        bool null = false;
    };

    bool parse(QByteArrayView json);

    int size() const { return int(m_members.size()); }
    const Member *find(QStringView name) const; // nullptr when absent
    // Undefined when absent, Null or a string otherwise: what QJsonObject::value() would give.
    QJsonValue value(QStringView name) const;
    QJsonObject toObject() const;

private:

    QVarLengthArray<Member, 8> m_members;
};

} // namespace herald
