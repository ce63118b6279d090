package jp.mynaguard.proxy.hold;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps the notices the workflow asked for (the mail itself is tested with MailNotifier and a real SMTP peer). */
final class RecordingNotifier implements HoldNotifier {
    final List<Notice> notices = Collections.synchronizedList(new ArrayList<>());
    final List<Bounce> bounces = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void notify(Notice notice) {
        notices.add(notice);
    }

    @Override
    public void bounce(Bounce bounce) {
        bounces.add(bounce);
    }

    List<Notice> of(Template t) {
        synchronized (notices) {
            return notices.stream().filter(n -> n.template() == t).toList();
        }
    }
}
