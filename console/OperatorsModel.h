#pragma once

#include "ApiListModel.h"

namespace herald {

// Console operators (GET /admin/v1/operators, admin only, not paged).
class OperatorsModel : public ApiListModel
{
    Q_OBJECT
public:
    explicit OperatorsModel(AdminClient &client, QObject *parent = nullptr);

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &row, int column, int role) const override;
};

} // namespace herald
