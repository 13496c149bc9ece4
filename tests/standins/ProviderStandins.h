#pragma once

#include "ApnsStandin.h"
#include "FcmStandin.h"

#include <QTemporaryDir>

#include <memory>

namespace herald::standin {

// Both push providers' stand-ins on loopback, with the keys, CA and service account file a
// herald-server needs to reach them: configIni() is the [push.apns] and [push.fcm] sections
// (ios devices go to the APNs stand-in, android ones to the FCM stand-in).
class ProviderStandins
{
public:
    static constexpr const char *Topic = "com.example.remote";

    ProviderStandins();
    ~ProviderStandins();

    bool start();
    QByteArray configIni() const;

    ApnsStandin &apns() { return *m_apns; }
    FcmStandin &fcm() { return *m_fcm; }

private:
    QTemporaryDir m_dir;
    ApnsStandin::Options m_apnsOptions;
    std::unique_ptr<ApnsStandin> m_apns;
    std::unique_ptr<FcmStandin> m_fcm;
};

} // namespace herald::standin
