package jp.mynaguard.proxy.smtp;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;

/**
 * The pipeline of one client connection, in order:
 * <pre>
 *   limits    ConnectionLimiter      421 over the connection caps (shared)
 *  [tls]      SslHandler             added by STARTTLS in front of everything
 *   frames    SmtpFrameDecoder       bytes to command lines / DATA chunks, on demand
 *   timeouts  SessionTimeouts        idle clock and absolute deadlines, per frame
 *   commands  SmtpCommandDecoder     line to SmtpRequest
 *   replies   SmtpReplyEncoder       SmtpReply to bytes (shared)
 *   spooler   DataSpooler            DATA chunks to a spooled message
 *   session   SmtpSessionHandler     the state machine
 * </pre>
 */
final class SmtpChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final SmtpServices services;
    private final ConnectionLimiter limiter;
    private final ChannelGroup channels;

    SmtpChannelInitializer(SmtpServices services, ConnectionLimiter limiter, ChannelGroup channels) {
        this.services = services;
        this.limiter = limiter;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        SmtpServerConfig config = services.config;
        SmtpFrameDecoder frames = new SmtpFrameDecoder(config.bareLf(), config.longLines());
        SessionTimeouts timeouts = new SessionTimeouts();
        DataSpooler spooler = new DataSpooler(config.spoolThreshold(), config.spoolDirectory());
        ChannelPipeline p = ch.pipeline();
        p.addLast("limits", limiter);
        p.addLast("frames", frames);
        p.addLast("timeouts", timeouts);
        p.addLast("commands", new SmtpCommandDecoder());
        p.addLast("replies", SmtpReplyEncoder.INSTANCE);
        p.addLast("spooler", spooler);
        p.addLast("session", new SmtpSessionHandler(services, frames, timeouts, spooler));
    }
}
