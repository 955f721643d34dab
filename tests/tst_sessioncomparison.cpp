// SPDX-License-Identifier: MIT
#include "captureloader.h"
// Comparing two sessions (before and after a deployment): the same traffic shows no difference, an
// incident shows its failures, retries, dead letters and breaker transitions as differences, a type
// on one side only is new; the window and `eventscope-cli compare` say the same.
#include "comparewindow.h"
#include "comparisonmodel.h"
#include "demodata.h"
#include "sessioncomparison.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QFile>
#include <QProcess>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

namespace {
Session::Config fileConfig()
{
    Session::Config c;
    c.clock = Session::Clock::Recorded;
    return c;
}

const SessionComparison::TypeRow* row(const SessionComparison::Result& r, const QString& type)
{
    for (const SessionComparison::TypeRow& t : r.types)
        if (t.type == type)
            return &t;
    return nullptr;
}
bool readCapture(Session& session, const QString& path, QString* error)
{
    return CaptureLoader::readInto(session, path, error);
}
} // namespace

class TestSessionComparison : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void differs_data()
    {
        QTest::addColumn<double>("a");
        QTest::addColumn<double>("b");
        QTest::addColumn<double>("noise");
        QTest::addColumn<bool>("expected");
        QTest::addRow("same") << 100.0 << 100.0 << 5.0 << false;
        QTest::newRow("a tenth up") << 100.0 << 110.0 << 5.0 << false;
        QTest::newRow("a third up") << 100.0 << 130.0 << 5.0 << true;
        QTest::addRow("halved") << 100.0 << 50.0 << 5.0 << true;
        QTest::addRow("new") << 0.0 << 20.0 << 5.0 << true;
        QTest::addRow("gone") << 20.0 << 0.0 << 5.0 << true;
        QTest::addRow("within noise") << 1.0 << 4.0 << 5.0 << false;
    }
    void differs()
    {
        QFETCH(double, a);
        QFETCH(double, b);
        QFETCH(double, noise);
        QFETCH(bool, expected);
        QCOMPARE(SessionComparison::differs(a, b, noise), expected);
    }

    void theSameTrafficShowsNoDifference()
    {
        Session a(fileConfig()), b(fileConfig());
        const QByteArrayList lines = demoLines(60, 500);
        feed(a, lines);
        feed(b, lines);
        const SessionComparison::Result r = SessionComparison::compare(a, b);
        QVERIFY(!r.types.empty());
        for (const SessionComparison::TypeRow& t : r.types)
            QVERIFY2(!t.differs(), qPrintable(t.type));
        QCOMPARE(SessionComparison::change(r.types.front().rate), QStringLiteral("="));
    }

    void anIncidentShowsAsDifferences()
    {
        Session before(fileConfig()), after(fileConfig());
        DemoGenerator::Options steady;
        steady.scenario = DemoGenerator::Scenario::Steady;
        steady.seed = 7;
        feed(before, demoLines(30, 500, steady));
        QByteArrayList incident = demoLines(30, 500, earlyIncident());
        incident << nativeEvent("aaaaaaaa-0000-4000-8000-000000000001", "billing.invoice_sent", isoAt(29000));
        feed(after, incident);
        const SessionComparison::Result r = SessionComparison::compare(before, after);
        // the email gateway's failures land on the notifications they were about
        const SessionComparison::TypeRow* notifications = row(r, QStringLiteral("notification.created"));
        QVERIFY(notifications);
        QVERIFY(notifications->failures.differs);
        QVERIFY(notifications->failures.b > notifications->failures.a);
        QVERIFY(notifications->deadLetters.differs);
        // differences come first
        QVERIFY(r.types.front().differs());
        // a type only after: new
        const SessionComparison::TypeRow* invoice = row(r, QStringLiteral("billing.invoice_sent"));
        QVERIFY(invoice);
        QCOMPARE(SessionComparison::change(invoice->count), QStringLiteral("new"));
        // the breaker opened after, not before
        QCOMPARE(r.breakers.size(), std::size_t(1));
        QCOMPARE(r.breakers.front().name, QStringLiteral("email-gateway"));
        QVERIFY(r.breakers.front().transitions.differs);
        QVERIFY(r.breakers.front().openSeconds.b > r.breakers.front().openSeconds.a);

        // the table model colours what got worse
        ComparisonModel model;
        model.setResult(r);
        int worse = 0;
        for (int i = 0; i < model.rowCount(); ++i)
            for (int c = 0; c < model.columnCount(); ++c)
                worse += model.data(model.index(i, c), ComparisonModel::ProblemRole).toInt() == 1 ? 1 : 0;
        QVERIFY(worse >= 2);
    }

    void theWindowAndTheCommandLine()
    {
        DemoGenerator::Options steady;
        steady.scenario = DemoGenerator::Scenario::Steady;
        const QString before = m_dir.filePath(QStringLiteral("before.ndjson"));
        const QString after = m_dir.filePath(QStringLiteral("after.ndjson"));
        for (const auto& [path, lines] : { std::pair { before, demoLines(20, 500, steady) },
                 std::pair { after, demoLines(20, 500, earlyIncident()) } }) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(lines.join('\n') + '\n');
        }
        CompareWindow window(before, after, readCapture);
        // the comparison model and the window's "only what differs" filter over it, checked throughout
        QAbstractItemModelTester modelTester(window.model());
        QAbstractItemModelTester filterTester(window.typeTable()->model());
        QTRY_VERIFY_WITH_TIMEOUT(window.isReady(), 30000);
        QVERIFY(window.errorString().isEmpty());
        QVERIFY(window.model()->rowCount() > 10);
        window.onlyDifferences()->setChecked(true);
        QVERIFY(window.typeTable()->model()->rowCount() < window.model()->rowCount());
        window.onlyDifferences()->setChecked(false);
        QCOMPARE(window.typeTable()->model()->rowCount(), window.model()->rowCount());
        QCOMPARE(window.breakerTable()->rowCount(), 1);

        CompareWindow broken(before, m_dir.filePath(QStringLiteral("missing.ndjson")), readCapture);
        QTRY_VERIFY_WITH_TIMEOUT(broken.isReady(), 30000);
        QVERIFY2(broken.errorString().contains(QStringLiteral("missing.ndjson")), qPrintable(broken.errorString()));

        QProcess cli;
        cli.start(QStringLiteral(EVENTSCOPE_CLI), { QStringLiteral("compare"), before, after });
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        const QString text = QString::fromUtf8(cli.readAllStandardOutput());
        QVERIFY2(text.contains(QStringLiteral("* notification.created")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("* email-gateway")));
    }
};

QTEST_MAIN(TestSessionComparison)
#include "tst_sessioncomparison.moc"
