#pragma once

#include <QByteArray>
#include <QList>

namespace herald {

// One parsed item of an IMAP response: an atom (numbers included), a string (quoted or literal),
// NIL, or a parenthesised list. Kept byte-exact: decoding to text is the caller's business because
// only the caller knows whether the bytes are an RFC 2047 header, a mailbox name or a number.
struct ImapValue
{
    enum class Type { Atom, String, Nil, List };

    Type type = Type::Nil;
    QByteArray data;         // Atom and String
    QList<ImapValue> items;  // List

    bool isNil() const { return type == Type::Nil; }
    bool isList() const { return type == Type::List; }
    bool isString() const { return type == Type::String; }
    bool isAtom() const { return type == Type::Atom; }
    // Atom or string bytes; empty for NIL and lists (a NIL subject and an empty one mean the same to us).
    QByteArray bytes() const { return type == Type::Atom || type == Type::String ? data : QByteArray(); }
    // A non-negative number (atoms only); -1 when it is not one. IMAP numbers fit in 32 bits unsigned.
    qint64 number() const
    {
        if (type != Type::Atom || data.isEmpty() || data.size() > 10)
            return -1;
        bool ok = false;
        const qint64 n = data.toLongLong(&ok);
        return ok && n >= 0 && n <= 0xFFFFFFFFLL ? n : -1;
    }
};

} // namespace herald
