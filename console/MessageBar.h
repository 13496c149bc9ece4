#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace herald {

// The console's one place for what the operator must read: API errors, results of actions and
// connection trouble. An error stays until dismissed or replaced; colours come from the palette
// (the error mark is the style's own icon), so light and dark themes both read well.
class MessageBar : public QFrame
{
    Q_OBJECT
public:
    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(const QString &text, bool error);
    QString text() const;
    bool isError() const { return m_error; }

protected:
    void changeEvent(QEvent *event) override;

private:
    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_close;
    bool m_error = false;
};

} // namespace herald
