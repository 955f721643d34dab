// SPDX-License-Identifier: MIT
#include "mainwindow.h"
#include "session.h"
#include "testutil.h"

#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsWhatTheSessionHolds()
    {
        Session s;
        MainWindow w(s);
        w.show();
        w.ingest(decodeLines({ nativeEvent("a", "booking.created"), nativeEvent("b", "booking.created"),
            nativeEvent("s", "system.circuit_breaker.state_changed", {}, {}, {},
                R"({"breaker":"email-gateway","from":"closed","to":"open"})") }));
        w.refresh();
        auto* table = w.findChild<QTableView*>();
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 2);
        // sorted by count, highest first
        QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("booking.created"));
        bool breakerShown = false;
        for (QLabel* label : w.findChildren<QLabel*>())
            breakerShown = breakerShown
                || (label->text().contains(QLatin1String("email-gateway"))
                    && label->text().contains(QLatin1String("OPEN")));
        QVERIFY(breakerShown);
    }

    void demoScreenshotIsPopulated()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("demo.png"));
        QProcess p;
        p.start(QStringLiteral(EVENTSCOPE_GUI),
            { QStringLiteral("--demo"), QStringLiteral("--screenshot"), png, QStringLiteral("--after"),
                QStringLiteral("2") });
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 1280 && image.height() >= 800);
        // a populated window has many distinct colours (text, rows), not a blank one
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
