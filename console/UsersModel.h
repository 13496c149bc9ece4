#pragma once

#include "ApiListModel.h"

namespace herald {

// Terminal accounts (GET /admin/v1/users, one answer, not paged).
class UsersModel : public ApiListModel
{
    Q_OBJECT
public:
    explicit UsersModel(AdminClient &client, QObject *parent = nullptr);

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &row, int column, int role) const override;
};

} // namespace herald
