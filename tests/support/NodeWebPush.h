#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace herald::test {

// The npm `web-push` package (and its `http_ece`) as an independent RFC 8291 / RFC 8292 peer,
// driven through tests/interop/webpush/interop.js. prepare() installs the locked packages with
// `npm ci` into a folder of the build tree the first time. It fails when node or npm are missing
// (scripts/deps.sh installs them); only when the npm registry cannot be reached at all does it
// say so in *skipReason, so the caller can QSKIP with that message.
class NodeWebPush
{
public:
    bool prepare(QString *error, QString *skipReason);
    // Runs `node interop.js args...` with `input` on stdin; the first line of its output, or
    // nothing (and *error) when it failed.
    QByteArray run(const QStringList &args, const QByteArray &input, QString *error) const;

private:
    QString m_dir;
};

} // namespace herald::test
