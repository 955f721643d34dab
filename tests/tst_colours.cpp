// SPDX-License-Identifier: MIT
// The dashboard's own colours, measured: every series and breaker band against the background of the
// chart it is drawn on (light and dark palettes), and the breaker states told apart under simulated
// protanopia, deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009, severity 1).
#include "breakertimelineview.h"
#include "chartspanel.h"
#include "colours.h"
#include "serieschartview.h"
#include "session.h"
#include "textcolours.h"

#include <QApplication>
#include <QChart>
#include <QtTest>
#include <array>
#include <cmath>

namespace {
using Matrix = std::array<std::array<double, 3>, 3>;
const Matrix Protan
    = { { { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 }, { -0.003882, -0.048116, 1.051998 } } };
const Matrix Deutan
    = { { { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 }, { -0.011820, 0.042940, 0.968881 } } };
const Matrix Tritan
    = { { { 1.255528, -0.076749, -0.178779 }, { -0.078411, 0.930809, 0.147602 }, { 0.004733, 0.691367, 0.303900 } } };

std::array<double, 3> linear(const QColor& c)
{
    const auto f = [](int v) {
        const double x = v / 255.0;
        return x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4);
    };
    return { f(c.red()), f(c.green()), f(c.blue()) };
}

std::array<double, 3> lab(std::array<double, 3> rgb, const Matrix* deficiency)
{
    if (deficiency) {
        std::array<double, 3> s {};
        for (int i = 0; i < 3; ++i)
            s[i] = std::clamp(
                (*deficiency)[i][0] * rgb[0] + (*deficiency)[i][1] * rgb[1] + (*deficiency)[i][2] * rgb[2], 0.0, 1.0);
        rgb = s;
    }
    const double x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
    const double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    const double z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883;
    const auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
    return { 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)) };
}

double deltaE(const QColor& a, const QColor& b, const Matrix* deficiency)
{
    const auto la = lab(linear(a), deficiency), lb = lab(linear(b), deficiency);
    return std::hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
}

QPalette darkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
    dark.setColor(QPalette::WindowText, Qt::white);
    dark.setColor(QPalette::Text, Qt::white);
    return dark;
}
} // namespace

class TestColours : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contrastIsWcags()
    {
        // the reference values of WCAG 2's definition
        QCOMPARE(Colours::contrast(Qt::black, Qt::white), 21.0);
        QCOMPARE(Colours::contrast(Qt::white, Qt::white), 1.0);
        QVERIFY(std::abs(Colours::contrast(QColor(0x77, 0x77, 0x77), Qt::white) - 4.48) < 0.01);
    }

    void everySeriesReadsOnItsChart_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::addRow("light palette") << false;
        QTest::addRow("dark palette") << true;
    }
    void everySeriesReadsOnItsChart()
    {
        QFETCH(bool, dark);
        const QPalette original = QApplication::palette();
        if (dark)
            QApplication::setPalette(darkPalette());
        Session session;
        ChartsPanel charts(session);
        QChart* chart = charts.rateChart()->chart();
        QVERIFY(!chart->isPlotAreaBackgroundVisible());
        // the background the lines are drawn on, read from the drawn chart (the theme's brush may be a
        // gradient), inside the plot area
        charts.resize(600, 700);
        charts.show();
        QVERIFY(QTest::qWaitForWindowExposed(&charts));
        const QImage drawn = charts.rateChart()->grab().toImage();
        const QPoint inside
            = charts.rateChart()->mapFromScene(chart->mapToScene(chart->plotArea().topLeft())) + QPoint(3, 3);
        const QColor background = drawn.pixelColor(inside);
        QCOMPARE(Colours::isDark(charts.palette()), dark);
        QCOMPARE(background.lightness() < 128, dark);
        const QList<QColor> series = Colours::series(dark);
        QCOMPARE(series.size(), 10);
        QList<QColor> all = series;
        all << Colours::retries(dark) << Colours::deadLetters(dark) << Colours::failures(dark);
        for (BreakerTransition::State s :
            { BreakerTransition::Closed, BreakerTransition::Open, BreakerTransition::HalfOpen })
            all << Colours::breakerState(s, dark);
        for (const QColor& c : std::as_const(all))
            QVERIFY2(Colours::contrast(c, background) >= 3.0,
                qPrintable(QStringLiteral("%1 on %2: %3:1")
                               .arg(c.name(), background.name())
                               .arg(Colours::contrast(c, background), 0, 'f', 2)));
        // the problem lines are told apart from one another too
        QVERIFY(deltaE(Colours::deadLetters(dark), Colours::failures(dark), nullptr) > 30);
        QVERIFY(deltaE(Colours::deadLetters(dark), Colours::retries(dark), nullptr) > 30);
        // and alarm text reads on the window (4.5:1, as text must)
        QVERIFY(
            Colours::contrast(Colours::alarmText(charts.palette()), charts.palette().color(QPalette::Window)) >= 4.5);
        QApplication::setPalette(original);
    }

    void tableTextReadsOnItsBase_data() { everySeriesReadsOnItsChart_data(); }
    void tableTextReadsOnItsBase()
    {
        // the log's failures and warnings, the sources' clock warning: text, so 4.5:1 on the table's base
        QFETCH(bool, dark);
        const QPalette original = QApplication::palette();
        QApplication::setPalette(dark ? darkPalette() : QPalette(QColor(0xef, 0xef, 0xef)));
        const QColor base = QApplication::palette().color(QPalette::Base);
        QCOMPARE(TextColours::darkBase(), dark);
        for (const QColor& c : { TextColours::failure(), TextColours::warning() })
            QVERIFY2(
                Colours::contrast(c, base) >= 4.5, qPrintable(QStringLiteral("%1 on %2").arg(c.name(), base.name())));
        QApplication::setPalette(original);
    }

    void breakerStatesStayApartForColourBlindness_data() { everySeriesReadsOnItsChart_data(); }
    void breakerStatesStayApartForColourBlindness()
    {
        QFETCH(bool, dark);
        const QColor closed = Colours::breakerState(BreakerTransition::Closed, dark);
        const QColor open = Colours::breakerState(BreakerTransition::Open, dark);
        const QColor halfOpen = Colours::breakerState(BreakerTransition::HalfOpen, dark);
        const std::pair<const char*, const Matrix*> visions[] = { { "typical", nullptr }, { "protanopia", &Protan },
            { "deuteranopia", &Deutan }, { "tritanopia", &Tritan } };
        for (const auto& [name, m] : visions)
            for (const auto& [a, b] :
                { std::pair(closed, open), std::pair(open, halfOpen), std::pair(closed, halfOpen) })
                QVERIFY2(deltaE(a, b, m) >= 25,
                    qPrintable(QStringLiteral("%1 vs %2 under %3: dE %4")
                                   .arg(a.name(), b.name(), QLatin1String(name))
                                   .arg(deltaE(a, b, m), 0, 'f', 1)));
        // and not by colour alone: each state has a fill pattern of its own
        QCOMPARE(QSet<int>({ Colours::breakerPattern(BreakerTransition::Closed),
                               Colours::breakerPattern(BreakerTransition::Open),
                               Colours::breakerPattern(BreakerTransition::HalfOpen) })
                     .size(),
            3);
    }
};

QTEST_MAIN(TestColours)
#include "tst_colours.moc"
