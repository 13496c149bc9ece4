#pragma once

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace herald {

class AdminClient;

// "Send test push…": pick a user, then one of their devices (or arrive with both chosen from a
// Devices row), add an optional text, and watch the verdict arrive in plain words. The call waits on
// the server for the real outcome (up to 15 s); a busy bar shows meanwhile and the GUI stays live.
class TestPushDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TestPushDialog(AdminClient &client, QWidget *parent = nullptr);

    // Pre-selects a user and device; loading the lists happens in the background.
    void preset(const QString &account, const QString &deviceId);
    QString verdictText() const;
    QJsonObject lastVerdict() const { return m_verdict; }

signals:
    void notify(const QString &text, bool error);
    void verdictArrived(const QJsonObject &verdict);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void loadUsers();
    void loadDevices();
    void send();
    void showVerdict(const QString &text, bool good);

    AdminClient &m_client;
    QComboBox *m_user;
    QComboBox *m_device;
    QLineEdit *m_text;
    QLabel *m_userLabel;
    QLabel *m_deviceLabel;
    QLabel *m_textLabel;
    QLabel *m_verdictIcon;
    QLabel *m_verdictLabel;
    QProgressBar *m_progress;
    QPushButton *m_send;
    QDialogButtonBox *m_buttons;
    QString m_wantedUser;
    QString m_wantedDevice;
    QJsonObject m_verdict;
};

} // namespace herald
