#include "admin/AdminChange.h"

#include "storage/Storage.h"

#include <QPointer>

#include <memory>

namespace herald {

HttpResponse changeThenAnswer(Storage &storage, QObject *context,
                              std::function<bool(Storage &, AdminChangeResult &)> change,
                              std::function<void(AdminChangeResult &)> after)
{
    HttpResponse response;
    response.deferred = [&storage, guarded = context != nullptr, guard = QPointer<QObject>(context), change = std::move(change),
                         after = std::move(after)](std::function<void(HttpResponse)> answer) {
        auto result = std::make_shared<AdminChangeResult>();
        storage.writeInBackground([result, change](Storage &writing) { return change(writing, *result); },
                                  [guarded, guard, result, after, answer](bool committed) {
                                      if (guarded && !guard)
                                          return; // the server is going down: the connection goes with it
                                      if (result->refused) {
                                          answer(HttpResponse::error(*result->refused));
                                          return;
                                      }
                                      if (!committed) {
                                          answer(HttpResponse::error(protocol::ApiError::internal()));
                                          return;
                                      }
                                      if (after)
                                          after(*result);
                                      answer(result->body.isEmpty() ? HttpResponse::noContent()
                                                                    : HttpResponse::json(result->status, result->body));
                                  });
    };
    return response;
}

} // namespace herald
