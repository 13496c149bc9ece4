#pragma once

#include <QString>
#include <QVarLengthArray>
#include <QVariant>
#include <QVariantMap>

#include <initializer_list>
#include <utility>

namespace herald {

// The named values of one statement run (":name" -> value), kept in a flat array. Built for every
// statement the server runs, a dozen per event: a QVariantMap cost a tree node per value and a
// string comparison per step of every lookup. Callers list names in the statement's order where
// they can, so each lookup usually hits the first place it tries.
class SqlParams
{
public:
    using Value = std::pair<QString, QVariant>;

    SqlParams() = default;
    SqlParams(std::initializer_list<Value> values)
        : m_values(values)
    {
    }
    SqlParams(const QVariantMap &values) // NOLINT: implicit, for callers that build a map
    {
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            m_values.append({it.key(), it.value()});
    }

    void set(const QString &name, const QVariant &value)
    {
        if (QVariant *v = slot(name))
            *v = value;
        else
            m_values.append({name, value});
    }
    void remove(const QString &name)
    {
        for (qsizetype i = 0; i < m_values.size(); ++i) {
            if (m_values.at(i).first == name) {
                m_values.remove(i);
                return;
            }
        }
    }
    // The value of `name`, looked for at position `hint` first; nullptr when it is not there.
    const QVariant *find(const QString &name, qsizetype hint) const
    {
        if (hint >= 0 && hint < m_values.size() && m_values.at(hint).first == name)
            return &m_values.at(hint).second;
        for (const Value &v : m_values) {
            if (v.first == name)
                return &v.second;
        }
        return nullptr;
    }
    qsizetype size() const { return m_values.size(); }

private:
    QVariant *slot(const QString &name)
    {
        for (Value &v : m_values) {
            if (v.first == name)
                return &v.second;
        }
        return nullptr;
    }

    QVarLengthArray<Value, 14> m_values;
};

} // namespace herald
