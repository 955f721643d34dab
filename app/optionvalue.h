// SPDX-License-Identifier: MIT
// Numbers given on the command line, checked: "--rate abc" or "--rate -5" is an error that names the
// option and the accepted range, never a silent 0. Shared by eventscope and eventscope-cli.
#pragma once

#include <QCommandLineParser>
#include <cstdio>

/// The option's value (or its default) as a number in [min, max]; false, with a message on stderr, if not.
inline bool numberOption(const QCommandLineParser& parser, const QCommandLineOption& option, double min, double max,
    double* out, const char* program)
{
    const QString text = parser.value(option);
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || !(v >= min && v <= max)) {
        std::fprintf(stderr, "%s: --%s: \"%s\" is not a number from %g to %g\n", program,
            qPrintable(option.names().constLast()), qPrintable(text.left(40)), min, max);
        return false;
    }
    *out = v;
    return true;
}
