package jp.mynaguard.proxy.smtp;

/**
 * One command line, decoded: the verb and the rest of the line.
 *
 * @param verb     the command, {@link SmtpVerb#UNKNOWN} when not one of ours
 * @param argument text after the verb and one space, possibly empty; never logged for AUTH
 * @param line     the whole line (for SASL continuation lines, which are not commands)
 * @param utf8     whether the line held non-ASCII (valid UTF-8) characters
 */
record SmtpRequest(SmtpVerb verb, String argument, String line, boolean utf8) {
}
