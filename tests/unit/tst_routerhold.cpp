// Router::holdUnder, which lets a console session issued by another node be read before a route
// checks it: only routes under the prefix are held; a held request reaches its route (with its
// path parameters, after the route's own guard) once resumed, and not before; the observer counts
// the final answer once; a route's deferred answer still works behind a hold.
#include "http/Router.h"

#include <QtTest>

using namespace herald;

namespace {

HttpRequest request(const QByteArray &method, const QString &path)
{
    HttpRequest r;
    r.method = method;
    r.path = path;
    return r;
}

// Runs a response the way HttpConnection does, deferred answers included; the final status.
int settle(HttpResponse response)
{
    int status = 0;
    std::function<void(HttpResponse)> answer = [&](HttpResponse r) {
        if (r.deferred)
            r.deferred(answer);
        else
            status = r.status;
    };
    answer(std::move(response));
    return status;
}

} // namespace

class tst_RouterHold : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlyRoutesUnderThePrefixAreHeld()
    {
        Router router;
        int asked = 0;
        router.add("GET", QStringLiteral("/admin/v1/users/{name}"), [](const HttpRequest &r) {
            return HttpResponse::json(200, QJsonObject{{QStringLiteral("name"), r.pathParams.value(QStringLiteral("name"))}});
        });
        router.add("GET", QStringLiteral("/v1/apps"), [](const HttpRequest &) { return HttpResponse::noContent(); });
        router.holdUnder(QStringLiteral("/admin/v1/"), [&asked](const HttpRequest &) -> Router::Wait {
            ++asked;
            return {};
        });
        HttpRequest other = request("GET", QStringLiteral("/v1/apps"));
        QCOMPARE(router.dispatch(other).status, 204);
        QCOMPARE(asked, 0);
        HttpRequest admin = request("GET", QStringLiteral("/admin/v1/users/bob"));
        const HttpResponse through = router.dispatch(admin);
        QCOMPARE(asked, 1);
        QVERIFY(!through.deferred); // an empty wait lets it through at once
        QCOMPARE(through.status, 200);
        // Unknown paths are not held: 404 without asking.
        HttpRequest unknown = request("GET", QStringLiteral("/admin/v1/nothing"));
        QCOMPARE(router.dispatch(unknown).status, 404);
        QCOMPARE(asked, 1);
    }

    void aHeldRequestRunsItsRouteOnceResumed()
    {
        Router router;
        QStringList ran;
        QList<int> observed;
        router.setObserver([&observed](const QString &, const QByteArray &, int status) { observed.append(status); });
        router.add("POST", QStringLiteral("/admin/v1/users/{name}/disable"), [&ran](const HttpRequest &r) {
            ran.append(QStringLiteral("handler ") + r.pathParams.value(QStringLiteral("name")));
            // A route whose answer itself waits (a write): still answered through the hold.
            HttpResponse later;
            later.deferred = [](std::function<void(HttpResponse)> answer) { answer(HttpResponse::noContent()); };
            return later;
        });
        QVERIFY(router.guard("POST", QStringLiteral("/admin/v1/users/{name}/disable"), [&ran](const HttpRequest &) {
            ran.append(QStringLiteral("guard"));
            return std::optional<HttpResponse>();
        }));
        std::function<void()> resume;
        router.holdUnder(QStringLiteral("/admin/v1/"), [&resume](const HttpRequest &) -> Router::Wait {
            return [&resume](std::function<void()> r) { resume = std::move(r); };
        });
        HttpRequest r = request("POST", QStringLiteral("/admin/v1/users/carol/disable"));
        HttpResponse held = router.dispatch(r);
        QVERIFY(held.deferred);
        QVERIFY(ran.isEmpty());
        QVERIFY(observed.isEmpty());
        int status = 0;
        held.deferred([&status](HttpResponse answer) {
            QVERIFY(answer.deferred); // the route's own wait, passed on as HttpConnection would
            answer.deferred([&status](HttpResponse final) { status = final.status; });
        });
        QVERIFY(ran.isEmpty()); // nothing runs until the wait resumes
        QVERIFY(resume);
        r.pathParams.clear(); // the held request is a copy: the connection's may change meanwhile
        resume();
        QCOMPARE(ran, (QStringList{QStringLiteral("guard"), QStringLiteral("handler carol")}));
        QCOMPARE(status, 204);
        QCOMPARE(observed, QList<int>{204}); // counted once, with the final status
    }

    void aGuardStillRefusesAfterTheHold()
    {
        Router router;
        bool handled = false;
        router.add("GET", QStringLiteral("/admin/v1/stats"), [&handled](const HttpRequest &) {
            handled = true;
            return HttpResponse::noContent();
        });
        router.guard("GET", QStringLiteral("/admin/v1/stats"), [](const HttpRequest &) {
            return std::optional<HttpResponse>(HttpResponse::error(protocol::ApiError{429, QStringLiteral("rate_limited"), {}}));
        });
        router.holdUnder(QStringLiteral("/admin/v1/"), [](const HttpRequest &) -> Router::Wait {
            return [](std::function<void()> resume) { resume(); };
        });
        HttpRequest r = request("GET", QStringLiteral("/admin/v1/stats"));
        QCOMPARE(settle(router.dispatch(r)), 429);
        QVERIFY(!handled);
    }
};

QTEST_GUILESS_MAIN(tst_RouterHold)
#include "tst_routerhold.moc"
