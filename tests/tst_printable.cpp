// SPDX-License-Identifier: MIT
#include "printable.h"

#include <QTest>

class TestPrintable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void controlsAreEscapedAndTheRestIsKept()
    {
        QCOMPARE(Printable::escaped(QStringLiteral("plain text\twith a tab\nand a line")),
            QStringLiteral("plain text\twith a tab\nand a line"));
        QCOMPARE(Printable::escaped(QString::fromUtf8("t\x1b]0;x\x07 \x7f \xc2\x9b \xe2\x80\xae \xe2\x81\xa6 é ✓")),
            QStringLiteral("t\\u001b]0;x\\u0007 \\u007f \\u009b \\u202e \\u2066 é ✓"));
    }

    void aViewGetsOneBoundedLineWithItsStartAndEnd()
    {
        QCOMPARE(Printable::forDisplay(QStringLiteral("booking.created")), QStringLiteral("booking.created"));
        QCOMPARE(Printable::forDisplay(QStringLiteral("two\nlines")), QStringLiteral("two\\u000alines"));
        const QString longName = QStringLiteral("start.") + QString(1 << 20, u'x') + QStringLiteral(".end");
        const QString shown = Printable::forDisplay(longName, 60);
        QVERIFY(shown.size() <= 60);
        QVERIFY(shown.startsWith(QLatin1String("start.xxx")));
        QVERIFY(shown.endsWith(QLatin1String("xxx.end")));
        QVERIFY(shown.contains(QChar(0x2026)));
        // escapes count at their shown width, and are never cut
        const QString hostile = QString(300, QChar(0x1b));
        const QString bounded = Printable::forDisplay(hostile, 100);
        QVERIFY(bounded.size() <= 100);
        QVERIFY(bounded.startsWith(QLatin1String("\\u001b\\u001b")));
        QCOMPARE(bounded.count(QLatin1String("\\u001b")) * 6 + 1, bounded.size());
        // a character outside the BMP is never split at the cut
        QString emoji;
        for (int i = 0; i < 200; ++i)
            emoji += QString::fromUtf8("\xf0\x9f\x98\x80");
        const QString cut = Printable::forDisplay(emoji, 41);
        for (qsizetype i = 0; i < cut.size(); ++i) {
            if (cut.at(i).isHighSurrogate())
                QVERIFY(i + 1 < cut.size() && cut.at(i + 1).isLowSurrogate());
            if (cut.at(i).isLowSurrogate())
                QVERIFY(i > 0 && cut.at(i - 1).isHighSurrogate());
        }
    }

    void fromBytesItShowsWhatTheTextWouldShow()
    {
        const QByteArray utf8 = "head." + QByteArray(1 << 20, 'y') + "\xc3\xa9.tail\x1b";
        const std::string_view view(utf8.constData(), std::size_t(utf8.size()));
        QCOMPARE(Printable::forDisplay(view), Printable::forDisplay(QString::fromUtf8(utf8)));
        QCOMPARE(Printable::forDisplay(std::string_view("short")), QStringLiteral("short"));
    }

    void modelsBoundOnlyWhatViewsShow()
    {
        const QString longText(5000, u'z');
        QVERIFY(Printable::shown(longText, Qt::DisplayRole).toString().size() <= Printable::DisplayChars);
        QVERIFY(Printable::shown(longText, Qt::ToolTipRole).toString().size() <= Printable::TooltipChars);
        QCOMPARE(Printable::shown(longText, Qt::UserRole).toString(), longText);
        QCOMPARE(Printable::shown(42, Qt::DisplayRole), QVariant(42));
        // a tooltip keeps its lines; a cell is one line
        QCOMPARE(Printable::shown(QStringLiteral("ws://bus/\ndecoded as CloudEvents"), Qt::ToolTipRole).toString(),
            QStringLiteral("ws://bus/\ndecoded as CloudEvents"));
        QCOMPARE(Printable::shown(QStringLiteral("a\nb"), Qt::DisplayRole).toString(), QStringLiteral("a\\u000ab"));
    }
};

QTEST_GUILESS_MAIN(TestPrintable)
#include "tst_printable.moc"
