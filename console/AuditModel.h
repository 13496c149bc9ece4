#pragma once

#include "ApiListModel.h"

namespace herald {

// The audit log (GET /admin/v1/audit), newest first, paged; filters are in the path.
class AuditModel : public ApiListModel
{
    Q_OBJECT
public:
    explicit AuditModel(AdminClient &client, QObject *parent = nullptr);

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &row, int column, int role) const override;
};

} // namespace herald
