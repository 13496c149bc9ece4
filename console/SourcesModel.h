#pragma once

#include "ApiListModel.h"

namespace herald {

// Event sources (GET /admin/v1/sources); the token itself is never listed.
class SourcesModel : public ApiListModel
{
    Q_OBJECT
public:
    explicit SourcesModel(AdminClient &client, QObject *parent = nullptr);

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &row, int column, int role) const override;
};

} // namespace herald
