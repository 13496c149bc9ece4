#include "dispatch/PushTranslator.h"

#include "dispatch/DispatchLog.h"

#include <QTranslator>

namespace herald {

PushTranslator::PushTranslator() = default;
PushTranslator::~PushTranslator() = default;

QTranslator *PushTranslator::translator(PushLanguage language) const
{
    const auto index = std::size_t(language);
    if (!m_tried[index]) {
        m_tried[index] = true;
        auto t = std::make_unique<QTranslator>();
        const QString file = QStringLiteral(":/i18n/herald_server_") + PushLanguages::code(language);
        if (t->load(file))
            m_translators[index] = std::move(t);
        else
            qCWarning(lcDispatch).noquote() << "cannot load push texts" << file << "- using English source texts";
    }
    return m_translators[index].get();
}

bool PushTranslator::loaded(PushLanguage language) const
{
    return translator(language) != nullptr;
}

QString PushTranslator::text(PushLanguage language, const char *context, const char *source, int n) const
{
    QString out;
    if (QTranslator *t = translator(language))
        out = t->translate(context, source, nullptr, n);
    if (out.isEmpty())
        out = QString::fromUtf8(source);
    // QCoreApplication::translate would do this; QTranslator::translate leaves %n to the caller.
    if (n >= 0)
        out.replace(QLatin1String("%n"), QString::number(n));
    return out;
}

} // namespace herald
