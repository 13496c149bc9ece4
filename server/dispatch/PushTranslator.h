#pragma once

#include "dispatch/PushLanguage.h"

#include <QString>

#include <array>
#include <memory>

class QTranslator;

namespace herald {

// Push texts in the device's language. One QTranslator per language, loaded on first use from the
// .qm files compiled into herald-core (":/i18n/herald_server_<code>.qm") and kept for the life of
// the server. They are never installed on the application: each device has its own language, so a
// global translator would be wrong for all but one of them.
class PushTranslator
{
public:
    PushTranslator();
    ~PushTranslator();
    PushTranslator(const PushTranslator &) = delete;
    PushTranslator &operator=(const PushTranslator &) = delete;

    // `source` is a string marked with QT_TRANSLATE_NOOP / QT_TRANSLATE_N_NOOP in `context`. With
    // n >= 0 the plural form for n is chosen and %n replaced. A message missing from the language's
    // file falls back to the English source, so a push never goes out empty.
    QString text(PushLanguage language, const char *context, const char *source, int n = -1) const;
    // False if the language's file could not be loaded (its texts then fall back to English).
    bool loaded(PushLanguage language) const;

private:
    QTranslator *translator(PushLanguage language) const;

    mutable std::array<std::unique_ptr<QTranslator>, PushLanguages::Count> m_translators;
    mutable std::array<bool, PushLanguages::Count> m_tried{};
};

} // namespace herald
