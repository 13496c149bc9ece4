// Configuration files as an administrator (or a broken deployment tool) might write them.
#include "app/IniFile.h"

#include <cstdint>
#include <cstdlib>

using namespace herald;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    IniFile ini;
    const bool ok = ini.parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)),
                              QStringLiteral("fuzz.ini"));
    if (!ok && !ini.errorString().contains(QLatin1String("fuzz.ini")))
        std::abort(); // every refusal names the file (and the line) for the administrator
    return 0;
}
